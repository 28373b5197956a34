"""newspipe's extraction stages as spaCy components, and what they share.

Importing this package registers every factory (``newspipe_sentences_hybrid_v1`` …) with spaCy;
the same factories are also declared as ``spacy_factories`` entry points, so a pipeline saved
with ``nlp.to_disk`` loads with plain ``spacy.load``. The rooms: :mod:`.stages` (the stage
table, and one module or package per stage), :mod:`.run` (corpora in, records out, the
engines); :mod:`.build` (a config → a ``Language``), :mod:`.records` (the record contract),
:mod:`.extensions`, :mod:`.errors`, :mod:`.files`, :mod:`.resources`.
"""

from newspipe.pipeline.build import PipelineError, load_config, load_pipeline
from newspipe.pipeline.records import doc_to_record
from newspipe.pipeline.stages import entities, quotes, sentences, stance

__all__ = [
    "PipelineError",
    "doc_to_record",
    "entities",
    "load_config",
    "load_pipeline",
    "quotes",
    "sentences",
    "stance",
]
