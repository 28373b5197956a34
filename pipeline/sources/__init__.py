"""Who gets quoted: the sources of a corpus of records, their share of voice, side and
referenced gender, from the records alone (no spaCy model).

- :mod:`.documents`: one record's speakers — quote counts, stance per target, kind, and
  referenced gender with the article's evidence;
- :mod:`.merge`: one source across documents (name forms of one person), every decision
  recorded;
- :mod:`.table`: the source table and the share of voice (by kind, gender, stance, time and
  any record field);
- :mod:`.read` and :mod:`.write`: records in (JSONL, Parquet), tables out (CSV, JSONL, JSON).
"""

from newspipe.pipeline.sources.documents import (
    KINDS,
    DocumentSources,
    DocumentSpeaker,
    Evidence,
    document_sources,
)
from newspipe.pipeline.sources.merge import MergeNote, SourceCluster, merge_speakers
from newspipe.pipeline.sources.table import SourceRow, SourceTable, build_source_table

__all__ = [
    "KINDS",
    "DocumentSources",
    "DocumentSpeaker",
    "Evidence",
    "MergeNote",
    "SourceCluster",
    "SourceRow",
    "SourceTable",
    "build_source_table",
    "document_sources",
    "merge_speakers",
]
