"""Running the pipeline over documents, one bad document never stopping the rest.

Documents stream through: only a bounded number of batches is held at any time, however long
the input. With ``n_process`` above 1 the batches go to worker processes, each of which builds
its own pipeline once (``make_nlp``) and turns its Docs into records itself, so nothing but
plain records crosses a process boundary (custom extension attributes need no pickling).
Results come back in input order, the same records as in one process.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from multiprocessing import get_context

from spacy.language import Language
from spacy.tokens import Doc

from newspipe.pipeline import records
from newspipe.pipeline.errors import PipelineError, WorkerDied
from newspipe.pipeline.records import Record, doc_to_record
from newspipe.pipeline.run.documents import Document, InputProblem, Item

BATCHES_IN_FLIGHT = 2
"""Batches queued per worker process: enough to keep workers busy, few enough to bound memory."""

Result = Record | InputProblem


def make_doc(nlp: Language, document: Document) -> Doc:
    """A tokenized Doc carrying the document's stance target and id."""
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
        yield from _extract_batch(nlp, batch, batch_size)


def _extract_batch(nlp: Language, batch: list[Item], batch_size: int) -> list[Result]:
    documents = [item for item in batch if isinstance(item, Document)]
    results: dict[int, Result] = {}
    # Strings and lexemes the batch adds to the vocab are freed when the zone ends (only plain
    # records leave it), so memory does not grow with every new word of a long corpus.
    with nlp.memory_zone():
        try:
            docs = list(nlp.pipe((make_doc(nlp, d) for d in documents), batch_size=batch_size))
            for document, doc in zip(documents, docs, strict=True):
                results[id(document)] = doc_to_record(doc, document.id)
        except Exception:  # a document broke a stage: find which, keep the rest
            for document in documents:
                results[id(document)] = _extract_one(nlp, document)
    return [results[id(item)] if isinstance(item, Document) else item for item in batch]


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
    with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool:
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


_worker_nlp: Language | None = None


def _init_worker(make_nlp: Callable[[], Language]) -> None:
    global _worker_nlp
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


def _run_batch(batch: list[Item], batch_size: int) -> list[Result]:
    assert _worker_nlp is not None, "worker not initialized"
    return _extract_batch(_worker_nlp, batch, batch_size)


def _extract_parallel(
    make_nlp: Callable[[], Language], items: Iterable[Item], batch_size: int, n_process: int
) -> Iterator[Result]:
    iterator = iter(items)
    pending: deque[tuple[list[Item], Future[list[Result]] | None]] = deque()
    context = get_context("spawn")  # a fresh interpreter: no threads or locks inherited
    with ProcessPoolExecutor(
        n_process, mp_context=context, initializer=_init_worker, initargs=(make_nlp,)
    ) as pool:
        exhausted = False
        while True:
            while not exhausted and len(pending) < BATCHES_IN_FLIGHT * n_process:
                batch = list(islice(iterator, batch_size))
                if not batch:
                    exhausted = True
                elif any(isinstance(item, Document) for item in batch):
                    pending.append((batch, pool.submit(_run_batch, batch, batch_size)))
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
