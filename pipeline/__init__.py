"""newspipe's extraction stages as spaCy components.

Importing this package registers every factory (``newspipe_sentences_pysbd_v1`` …) with spaCy;
the same factories are also declared as ``spacy_factories`` entry points, so a pipeline saved
with ``nlp.to_disk`` loads with plain ``spacy.load``.
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
