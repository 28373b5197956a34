"""Running the pipeline over documents, one bad document never stopping the rest.

Documents stream through: only a bounded number of batches is held at any time, however long
the input. With ``n_process`` above 1 the batches go to worker processes, each of which builds
its own pipeline once (``make_nlp``) and turns its Docs into records itself, so nothing but
plain records crosses a process boundary (custom extension attributes need no pickling).
Results come back in input order, the same records as in one process. A worker is sent
several batches at a time (a *chunk* of at least :data:`CHUNK_CHARS` characters, so that short
texts do not cost a round trip each) and runs them one by one exactly as one process would, so
the records are the same byte for byte. Asked for lines (:func:`extract_lines`), a worker also
writes each record's JSONL line itself: the parent then only reads documents and writes bytes.

No worker outlives its run: a worker ignores Ctrl-C (the parent handles it), ends when its
parent ends however that happens (``PR_SET_PDEATHSIG`` on Linux, and a thread that watches
the parent everywhere), and a parent that stops early (an interrupt, SIGTERM, an error)
terminates its workers at once instead of waiting for their batches.

Within a batch the documents go through the pipeline in small groups of about
:data:`GROUP_CHARS` characters (one news article; many short texts), and each group's records
come out as soon as it is done: a caller that counts records (a progress bar) sees them one
article at a time, not one batch at a time. spaCy's models run as fast on one article as on a
batch of them; grouping short texts keeps their per-call overhead low.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from itertools import islice
from multiprocessing import get_context
from typing import NamedTuple, TypeVar

from spacy.language import Language
from spacy.tokens import Doc

from newspipe.pipeline import records
from newspipe.pipeline.errors import PipelineError, WorkerDied
from newspipe.pipeline.records import Record, doc_to_record
from newspipe.pipeline.run.documents import Document, InputProblem, Item
from newspipe.pipeline.run.writers import encode_record

BATCHES_IN_FLIGHT = 2
"""Chunks queued per worker process: enough to keep workers busy, few enough to bound memory."""
CHUNK_CHARS = 10_000
"""Characters of text a chunk of batches sent to a worker process holds at least (it closes at
the first batch that reaches it): a few news articles, or a batch or two of short texts."""
CHUNK_BATCHES = 16
"""Batches a chunk holds at most, however short its texts."""
GROUP_CHARS = 2000
"""Characters of text per group of documents run through the pipeline together (a group closes
at the first document that reaches it): about one news article, or a few dozen short texts."""


class RecordLine(NamedTuple):
    """A record as its JSONL line (UTF-8, ending in a newline), made where the record was."""

    id: str
    line: bytes


Result = Record | InputProblem
LineResult = RecordLine | InputProblem
T = TypeVar("T")


def text_groups(
    items: Iterable[T], size: Callable[[T], int], limit: int = GROUP_CHARS
) -> Iterator[list[T]]:
    """``items`` in consecutive groups, each closed at the first item that brings its total
    ``size`` to ``limit`` or more (the last group may be smaller)."""
    group: list[T] = []
    total = 0
    for item in items:
        group.append(item)
        total += size(item)
        if total >= limit:
            yield group
            group, total = [], 0
    if group:
        yield group


def item_batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """``items`` in consecutive batches of ``size`` (the last may be smaller)."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def chunks(
    batches: Iterable[list[T]],
    size: Callable[[T], int],
    limit: int = CHUNK_CHARS,
    most: int = CHUNK_BATCHES,
) -> Iterator[list[list[T]]]:
    """Consecutive ``batches`` in chunks, each closed at the first batch that brings its total
    ``size`` to ``limit`` or more, or at ``most`` batches (the last chunk may be smaller)."""
    chunk: list[list[T]] = []
    total = 0
    for batch in batches:
        chunk.append(batch)
        total += sum(size(item) for item in batch)
        if total >= limit or len(chunk) >= most:
            yield chunk
            chunk, total = [], 0
    if chunk:
        yield chunk


def make_doc(nlp: Language, document: Document) -> Doc:
    """A tokenized Doc carrying the document's stance target(s) and id."""
    return records.make_doc(nlp, document.text, target=document.target, doc_id=document.id)


def extract_records(
    nlp: Language | None,
    items: Iterable[Item],
    batch_size: int = 32,
    *,
    n_process: int = 1,
    make_nlp: Callable[[], Language] | None = None,
    workers: Workers | None = None,
) -> Iterator[Result]:
    """Records for the documents of ``items`` in input order; problems pass through.

    Documents go through ``nlp.pipe`` in batches; if a batch fails, its documents are run one
    by one so that only the failing document turns into an :class:`InputProblem`.

    With ``n_process`` > 1, ``make_nlp`` (a picklable callable, e.g.
    ``functools.partial(load_pipeline, config_path, overrides)``) builds the pipeline in each
    worker process; ``nlp`` is then not used and may be ``None``. ``workers`` (started with
    :func:`worker_processes`) runs the batches instead, without starting processes of its own.
    """
    results = _extract(nlp, items, batch_size, n_process, make_nlp, workers, encode=False)
    return results  # type: ignore[return-value]  # encode=False: records


def extract_lines(
    nlp: Language | None,
    items: Iterable[Item],
    batch_size: int = 32,
    *,
    n_process: int = 1,
    make_nlp: Callable[[], Language] | None = None,
    workers: Workers | None = None,
) -> Iterator[LineResult]:
    """As :func:`extract_records`, each record as its JSONL line
    (:func:`~newspipe.pipeline.run.writers.encode_record`), made in the worker process that
    made the record: the bytes a JSONL writer would write for it."""
    results = _extract(nlp, items, batch_size, n_process, make_nlp, workers, encode=True)
    return results  # type: ignore[return-value]  # encode=True: lines


def _extract(
    nlp: Language | None,
    items: Iterable[Item],
    batch_size: int,
    n_process: int,
    make_nlp: Callable[[], Language] | None,
    workers: Workers | None,
    *,
    encode: bool,
) -> Iterator[Result | LineResult]:
    if workers is not None:
        yield from _extract_parallel(workers, items, batch_size, encode)
        return
    if n_process > 1:
        if make_nlp is None:
            raise ValueError("n_process > 1 needs make_nlp to build the pipeline in workers")
        with worker_processes(make_nlp, n_process) as started:
            yield from _extract_parallel(started, items, batch_size, encode)
        return
    if nlp is None:
        if make_nlp is None:
            raise ValueError("give nlp or make_nlp")
        nlp = make_nlp()
    for batch in item_batches(items, batch_size):
        results = _extract_batch(nlp, batch)
        yield from (_encoded(results) if encode else results)


def _encoded(results: Iterable[Result]) -> Iterator[LineResult]:
    for result in results:
        if isinstance(result, InputProblem):
            yield result
        else:
            yield RecordLine(str(result["id"]), encode_record(result))


def _extract_batch(nlp: Language, batch: list[Item]) -> Iterator[Result]:
    """The results of a batch in order, a group of documents at a time (see the module
    docstring); problems pass through."""
    # Strings and lexemes the batch adds to the vocab are freed when the zone ends (only plain
    # records leave it), so memory does not grow with every new word of a long corpus.
    with nlp.memory_zone():
        for group in text_groups(batch, _text_size):
            documents = [item for item in group if isinstance(item, Document)]
            results: dict[int, Result] = {}
            try:
                docs = nlp.pipe((make_doc(nlp, d) for d in documents), batch_size=len(group))
                for document, doc in zip(documents, docs, strict=True):
                    results[id(document)] = doc_to_record(doc, document.id)
            except Exception:  # a document broke a stage: find which, keep the rest
                for document in documents:
                    results[id(document)] = _extract_one(nlp, document)
            yield from (results[id(i)] if isinstance(i, Document) else i for i in group)


def _text_size(item: Item) -> int:
    return len(item.text) if isinstance(item, Document) else 0


def _extract_one(nlp: Language, document: Document) -> Result:
    try:
        return doc_to_record(nlp(make_doc(nlp, document)), document.id)
    except Exception as err:
        message = f"{type(err).__name__}: {err}".splitlines()[0][:300]
        return InputProblem(
            document.source or document.id, f"extraction failed ({message})", document.id
        )


# -- worker processes --------------------------------------------------------------------------


@dataclass(frozen=True)
class Workers:
    """Worker processes that have each built the pipeline (:func:`worker_processes`)."""

    pool: ProcessPoolExecutor
    count: int

    def check(self) -> str | None:
        """Wait until the workers have built their pipelines: ``None`` if they did, else the
        one-line :class:`PipelineError` message (a bad config, a missing model). Lets a run
        fail early, without loading the model in the main process."""
        # One task per worker: each submit starts a process, so all load the model at once.
        futures = [_submit_held(self.pool, _worker_problem) for _ in range(self.count)]
        try:
            for future in futures:
                problem = future.result()
                if problem is not None:
                    return problem
        except BrokenProcessPool:
            return "the pipeline could not be built in a worker process (it died)"
        return None


@contextlib.contextmanager
def worker_processes(make_nlp: Callable[[], Language], count: int) -> Iterator[Workers]:
    """``count`` worker processes, each building the pipeline with ``make_nlp`` once, ended at
    once if the block is left by an exception (KeyboardInterrupt and SIGTERM included) and
    waited for otherwise."""
    with _worker_pool(count, _init_worker, (make_nlp, os.getpid())) as pool:
        yield Workers(pool, count)


PARENT_CHECK_SECONDS = 1.0
"""How often a worker checks that its parent is alive (where the kernel cannot tell it)."""


@contextlib.contextmanager
def _worker_pool(
    workers: int, initializer: Callable[..., None], initargs: tuple[object, ...]
) -> Iterator[ProcessPoolExecutor]:
    """A pool of spawned worker processes (a fresh interpreter each: no threads or locks
    inherited) that ends its workers at once if the block is left by an exception
    (KeyboardInterrupt and SIGTERM included), and waits for them otherwise."""
    pool = ProcessPoolExecutor(
        workers, mp_context=get_context("spawn"), initializer=initializer, initargs=initargs
    )
    try:
        yield pool
    except BaseException:
        _terminate(pool)
        raise
    pool.shutdown(wait=True)


def _terminate(pool: ProcessPoolExecutor) -> None:
    """Stop the pool's workers now, without waiting for the batches they run."""
    terminate = getattr(pool, "terminate_workers", None)  # Python 3.14+
    # Before 3.14 there is no public way: the pool keeps its processes by pid.
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    if terminate is not None:
        with contextlib.suppress(Exception):
            terminate()
    for process in processes:
        with contextlib.suppress(Exception):
            process.terminate()
    for process in processes:
        with contextlib.suppress(Exception):
            process.join(timeout=5)


HELD_SIGNALS = frozenset({signal.SIGINT, signal.SIGTERM})


def _submit_held(pool: ProcessPoolExecutor, fn: Callable[..., T], *args: object) -> Future[T]:
    """``pool.submit``, with Ctrl-C and SIGTERM held back until it returns. A submit may start
    a worker process; interrupted halfway, it leaves the new process without its start-up data,
    and that process prints a traceback of its own ("EOFError: Ran out of input") beside the
    run's one line. A held signal arrives as soon as the submit returns. The worker inherits
    the held mask and lets the signals through in :func:`_guard_worker`."""
    if not hasattr(signal, "pthread_sigmask"):
        return pool.submit(fn, *args)
    held = signal.pthread_sigmask(signal.SIG_BLOCK, HELD_SIGNALS)
    try:
        return pool.submit(fn, *args)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def _guard_worker(parent: int) -> None:
    """In a worker process: leave Ctrl-C to the parent (which ends its workers), and end
    when the parent ends, however it ends (SIGKILL included)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):  # held while the parent started this process
        signal.pthread_sigmask(signal.SIG_UNBLOCK, HELD_SIGNALS)
    with contextlib.suppress(Exception):  # Linux: the kernel kills the worker with its parent
        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before that took effect
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def _watch_parent(parent: int) -> None:
    while True:
        time.sleep(PARENT_CHECK_SECONDS)
        if os.getppid() != parent:  # reparented: the parent is gone
            os._exit(1)


_worker_nlp: Language | None = None
_worker_error: Exception | None = None


def _init_worker(make_nlp: Callable[[], Language], parent: int) -> None:
    global _worker_nlp, _worker_error
    _guard_worker(parent)
    _limit_threads()
    try:
        _worker_nlp = make_nlp()
    except Exception as err:  # told by the worker's tasks: an initializer that raises breaks
        _worker_error = err  # the pool with a traceback on stderr and no message


def _worker_problem() -> str | None:
    """In a worker: why its pipeline could not be built (a :class:`PipelineError`'s message),
    or None; any other error is raised."""
    if isinstance(_worker_error, PipelineError):
        return str(_worker_error)
    if _worker_error is not None:
        raise _worker_error
    return None


def _limit_threads() -> None:
    """One BLAS thread per worker: the workers are the parallelism, and BLAS threads that
    busy-wait on a core another worker needs only slow both down."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # comes with scikit-learn; without it, keep the defaults
        return
    threadpool_limits(1)


def _run_chunk(chunk: list[list[Item]], encode: bool) -> list[Result | LineResult]:
    """In a worker: the results of a chunk's batches, each batch run as one process runs it."""
    if _worker_nlp is None:
        raise _worker_error or RuntimeError("worker not initialized")
    out: list[Result | LineResult] = []
    for batch in chunk:
        results = _extract_batch(_worker_nlp, batch)
        out.extend(_encoded(results) if encode else results)
    return out


def _has_document(chunk: list[list[Item]]) -> bool:
    return any(isinstance(item, Document) for batch in chunk for item in batch)


def _extract_parallel(
    workers: Workers, items: Iterable[Item], batch_size: int, encode: bool
) -> Iterator[Result | LineResult]:
    pending: deque[tuple[list[list[Item]], Future[list[Result | LineResult]] | None]] = deque()
    waiting = chunks(item_batches(items, batch_size), _text_size)
    exhausted = False
    while True:
        while not exhausted and len(pending) < BATCHES_IN_FLIGHT * workers.count:
            chunk = next(waiting, None)
            if chunk is None:
                exhausted = True
            elif _has_document(chunk):
                pending.append((chunk, _submit_held(workers.pool, _run_chunk, chunk, encode)))
            else:
                pending.append((chunk, None))
        if not pending:
            return
        chunk, future = pending.popleft()
        if future is None:  # only problems: they pass through
            for batch in chunk:
                yield from (item for item in batch if isinstance(item, InputProblem))
            continue
        try:
            results = future.result()
        except BrokenProcessPool:
            raise WorkerDied() from None
        yield from results
