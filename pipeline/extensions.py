"""Extension attributes the stages write where spaCy has no slot of its own.

Each factory calls :func:`register_extensions`, which adds an attribute only if it is missing
(never ``force=True``), so user code that registered its own first is left alone.
"""

from spacy.tokens import Doc, Span

QUOTES_KEY = "quotes"
"""Name of the ``doc.spans`` group that holds the quote contents."""

_DOC_EXTENSIONS: dict[str, object] = {
    # The stance target of this document (a short phrase), set from the input record or config.
    "target": None,
    # All its stance targets (list[str] | None), when there are several; the first is "target".
    "targets": None,
    # The document's id (the record's "id"), when the Doc was made from a document or record.
    "doc_id": None,
}
_SPAN_EXTENSIONS: dict[str, object] = {
    # On a quote content span:
    "cue": None,  # Span | None — the reporting verb or phrase
    "speaker": None,  # Span | None — the speaker mention as written
    "speaker_name": None,  # str | None — the speaker's canonical (fullest) name in the document
    "quote_type": None,  # "direct" | "indirect" | "mixed"
    "quote_source": None,  # str | None — the candidate rule that proposed the quote
    "confidence": None,  # float | None — how likely the quote is right (the judge's calibrated
    # probability; the cue lexicon's share for the rules backend)
    "stance": None,  # "FAVOR" | "AGAINST" | "NONE" | None
    "stance_evidence": None,  # list[str] | None — what decided the stance (first target)
    "stances": None,  # dict[str, str | None] | None — the stance toward each target
}


def register_extensions() -> None:
    """Register newspipe's Doc and Span extension attributes if they are missing."""
    for name, default in _DOC_EXTENSIONS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)
    for name, default in _SPAN_EXTENSIONS.items():
        if not Span.has_extension(name):
            Span.set_extension(name, default=default)
