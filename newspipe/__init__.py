"""newspipe: sentences, named entities, quotes with their speakers, and each quote's stance
toward a target, from English news — a spaCy pipeline, and the ``newspipe`` command.

The Python API::

    import newspipe

    nlp = newspipe.load()                                  # a spaCy Language
    doc = nlp(newspipe.make_doc(nlp, text, target="the new tariffs"))
    record = newspipe.to_record(doc, "article-1")          # the JSON contract
    again = newspipe.from_record(record, nlp)              # and back to a Doc

- :func:`load` builds the configured pipeline (the packaged config, or ``config``) with
  dotted overrides: ``load(**{"components.stance.target": "the tariffs"})``, or with ``__`` for
  the dots, ``load(components__stance__target="the tariffs")``.
- Per-document stance targets: ``doc._.target`` (set by :func:`make_doc`) wins over the
  config's ``components.stance.target``; docs made that way go through ``nlp.pipe`` like any
  others, and ``nlp.pipe(..., as_tuples=True)`` carries each document's id alongside.
- Results stay on the Doc: ``doc.sents``, ``doc.ents``, ``doc.spans["quotes"]`` with
  ``span._.cue``, ``._.speaker``, ``._.speaker_name``, ``._.quote_type``, ``._.stance``,
  ``._.stance_evidence``; :func:`to_record` turns them into a record.

The command line (:mod:`newspipe.cli`) is built on the same functions; the stages are in
:mod:`newspipe.pipeline`, the evaluation in :mod:`newspipe.eval`.

Importing this package imports nothing heavy (spaCy loads on first use), so that the
``newspipe`` command can handle Ctrl-C and signals from its first moment
(:mod:`newspipe.console`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from newspipe.pipeline.records import Record

__version__ = "0.1.0"

__all__ = ["Record", "__version__", "from_record", "load", "make_doc", "to_record"]


def load(config: str | Path | None = None, **overrides: Any) -> Language:
    """The newspipe pipeline: a spaCy ``Language`` with the four stages on the configured model.

    Args:
        config: A pipeline config file (spaCy's format); None: the packaged one.
        **overrides: Dotted config settings, ``**{"components.stance.target": "…"}``, or
            with ``__`` for each dot, ``components__stance__target="…"``.

    Raises:
        newspipe.pipeline.errors.PipelineError: A bad config, or a model that is not installed.
    """
    from newspipe.pipeline.build import load_pipeline

    dotted = {key.replace("__", "."): value for key, value in overrides.items()}
    return load_pipeline(config, dotted)


def make_doc(
    nlp: Language, text: str, *, target: str | None = None, doc_id: str | None = None
) -> Doc:
    """A tokenized ``Doc`` of ``text`` with its stance target and id, ready for ``nlp``."""
    from newspipe.pipeline import records

    return records.make_doc(nlp, text, target=target, doc_id=doc_id)


def to_record(doc: Doc, doc_id: str | None = None) -> Record:
    """What the stages wrote on ``doc`` as a record (``id``: ``doc_id``, else ``doc._.doc_id``,
    else empty), the contract of ``newspipe extract``'s output."""
    from newspipe.pipeline.records import doc_to_record

    return doc_to_record(doc, doc_id)


def from_record(record: Record, nlp: Language) -> Doc:
    """A ``Doc`` of ``nlp``'s tokenizer carrying ``record``'s annotations as the stages write
    them (every span must lie on token boundaries; a ``RecordAlignmentError`` lists those that
    do not)."""
    from newspipe.pipeline.records import record_to_doc

    return record_to_doc(record, nlp)


def __getattr__(name: str) -> Any:
    """``newspipe.Record``, imported when first asked for."""
    if name == "Record":
        from newspipe.pipeline.records import Record

        return Record
    raise AttributeError(f"module 'newspipe' has no attribute {name!r}")
