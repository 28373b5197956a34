"""Running the pipeline over documents, one bad document never stopping the rest.

Documents stream through: only a bounded number of batches is held at any time, however long
the input. With ``n_process`` above 1 the batches go to worker processes, each of which builds
its own pipeline once (``make_nlp``) and turns its Docs into records itself, so nothing but
plain records crosses a process boundary (custom extension attributes need no pickling).
Results come back in input order, the same records as in one process.

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
from itertools import islice
from multiprocessing import get_context
from typing import TypeVar

from spacy.language import Language
from spacy.tokens import Doc

from newspipe.pipeline import records
from newspipe.pipeline.errors import PipelineError, WorkerDied
from newspipe.pipeline.records import Record, doc_to_record
from newspipe.pipeline.run.documents import Document, InputProblem, Item

BATCHES_IN_FLIGHT = 2
"""Batches queued per worker process: enough to keep workers busy, few enough to bound memory."""
GROUP_CHARS = 2000
"""Characters of text per group of documents run through the pipeline together (a group closes
at the first document that reaches it): about one news article, or a few dozen short texts."""

Result = Record | InputProblem
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
) -> Iterator[Result]:
    """Records for the documents of ``items`` in input order; problems pass through.

    Documents go through ``nlp.pipe`` in batches; if a batch fails, its documents are run one
    by one so that only the failing document turns into an :class:`InputProblem`.

    With ``n_process`` > 1, ``make_nlp`` (a picklable callable, e.g.
    ``functools.partial(load_pipeline, config_path, overrides)``) builds the pipeline in each
    worker process; ``nlp`` is then not used and may be ``None``.
    """
    if n_process > 1:
        if make_nlp is None:
            raise ValueError("n_process > 1 needs make_nlp to build the pipeline in workers")
        yield from _extract_parallel(make_nlp, items, batch_size, n_process)
        return
    if nlp is None:
        if make_nlp is None:
            raise ValueError("give nlp or make_nlp")
        nlp = make_nlp()
    iterator = iter(items)
    while batch := list(islice(iterator, batch_size)):
        yield from _extract_batch(nlp, batch)


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


def check_pipeline(make_nlp: Callable[[], Language]) -> str | None:
    """Build the pipeline once in a throwaway process: ``None`` if it builds, else the one-line
    :class:`PipelineError` message. Lets a run with worker processes fail early on a bad
    config or a missing model without loading the model in the main process."""
    with _worker_pool(1, _guard_worker, (os.getpid(),)) as pool:
        try:
            return pool.submit(_try_build, make_nlp).result()
        except BrokenProcessPool:
            return "the pipeline could not be built in a worker process (it died)"


def _try_build(make_nlp: Callable[[], Language]) -> str | None:
    try:
        make_nlp()
    except PipelineError as err:
        return str(err)
    return None


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


def _guard_worker(parent: int) -> None:
    """In a worker process: leave Ctrl-C to the parent (which ends its workers), and end
    when the parent ends, however it ends (SIGKILL included)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
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


def _init_worker(make_nlp: Callable[[], Language], parent: int) -> None:
    global _worker_nlp
    _guard_worker(parent)
    _limit_threads()
    _worker_nlp = make_nlp()


def _limit_threads() -> None:
    """One BLAS thread per worker: the workers are the parallelism, and BLAS threads that
    busy-wait on a core another worker needs only slow both down."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # comes with scikit-learn; without it, keep the defaults
        return
    threadpool_limits(1)


def _run_batch(batch: list[Item]) -> list[Result]:
    assert _worker_nlp is not None, "worker not initialized"
    return list(_extract_batch(_worker_nlp, batch))


def _extract_parallel(
    make_nlp: Callable[[], Language], items: Iterable[Item], batch_size: int, n_process: int
) -> Iterator[Result]:
    iterator = iter(items)
    pending: deque[tuple[list[Item], Future[list[Result]] | None]] = deque()
    with _worker_pool(n_process, _init_worker, (make_nlp, os.getpid())) as pool:
        exhausted = False
        while True:
            while not exhausted and len(pending) < BATCHES_IN_FLIGHT * n_process:
                batch = list(islice(iterator, batch_size))
                if not batch:
                    exhausted = True
                elif any(isinstance(item, Document) for item in batch):
                    pending.append((batch, pool.submit(_run_batch, batch)))
                else:
                    pending.append((batch, None))
            if not pending:
                return
            batch, future = pending.popleft()
            if future is None:  # only problems: they pass through
                yield from (item for item in batch if isinstance(item, InputProblem))
                continue
            try:
                results = future.result()
            except BrokenProcessPool:
                raise WorkerDied() from None
            yield from results
