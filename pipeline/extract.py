"""Running the pipeline over documents, one bad document never stopping the rest."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.inputs import Document, InputProblem, Item
from pipeline.records import Record, doc_to_record


def make_doc(nlp: Language, document: Document) -> Doc:
    """A tokenized Doc carrying the document's stance target."""
    doc = nlp.make_doc(document.text)
    doc._.target = document.target
    return doc


def extract_records(
    nlp: Language, items: Iterable[Item], batch_size: int = 32
) -> Iterator[Record | InputProblem]:
    """Records for the documents of ``items`` in input order; problems pass through.

    Documents go through ``nlp.pipe`` in batches; if a batch fails, its documents are run one
    by one so that only the failing document turns into an :class:`InputProblem`.
    """
    iterator = iter(items)
    while batch := list(islice(iterator, batch_size)):
        documents = [item for item in batch if isinstance(item, Document)]
        results: dict[int, Record | InputProblem] = {}
        try:
            docs = list(nlp.pipe((make_doc(nlp, d) for d in documents), batch_size=batch_size))
            for document, doc in zip(documents, docs, strict=True):
                results[id(document)] = doc_to_record(doc, document.id)
        except Exception:  # a document broke a stage: find which, keep the rest
            for document in documents:
                results[id(document)] = _extract_one(nlp, document)
        for item in batch:
            yield results[id(item)] if isinstance(item, Document) else item


def _extract_one(nlp: Language, document: Document) -> Record | InputProblem:
    try:
        return doc_to_record(nlp(make_doc(nlp, document)), document.id)
    except Exception as err:
        message = f"{type(err).__name__}: {err}".splitlines()[0][:300]
        return InputProblem(document.source or document.id, f"extraction failed ({message})")
