"""Gold annotations: load hand-written gold files, resolve spans to offsets, validate, convert.

A gold file (``<id>.gold.yaml`` or ``<id>.gold.json``) names the article's text file and
writes every span as its text; this package finds each span in the text and returns the
document as a record (see :mod:`newspipe.pipeline.records`), with character offsets, end
exclusive. The file format and the annotation scheme are described in ``gold/GUIDELINES.md``.

Gold files are untrusted input: YAML is read with ``yaml.safe_load`` only, and every problem
of a file is collected and reported at once in a :class:`GoldError`.

- :mod:`~newspipe.eval.gold.spec`: the format (keys, suffixes, speaker kinds and genders), how
  a span is written (:class:`SpanSpec`), finding text, :class:`GoldError`;
- :mod:`~newspipe.eval.gold.resolve`: a file's spans resolved to offsets in its article;
- :mod:`~newspipe.eval.gold.checks`: checks on the resolved layers and on imported records,
  layer counts;
- :mod:`~newspipe.eval.gold.files`: gold files on disk (reading, finding, named sets,
  validating);
- :mod:`~newspipe.eval.gold.write`: a record back into human-writable gold YAML.
"""

from newspipe.eval.gold.checks import (
    check_layers,
    check_record,
    check_speakers,
    layer_counts,
    total_counts,
)
from newspipe.eval.gold.files import (
    GOLD_SETS,
    GoldCheck,
    gold_files,
    gold_set_files,
    load_gold,
    read_article,
    read_gold_data,
    relative_path,
    validate_gold,
)
from newspipe.eval.gold.resolve import resolve_gold
from newspipe.eval.gold.spec import (
    FRAGMENT_MARKS,
    GOLD_SUFFIXES,
    QUOTE_MARKS,
    SPEAKER_GENDERS,
    SPEAKER_KINDS,
    GoldError,
    SpanSpec,
    find_occurrences,
)
from newspipe.eval.gold.write import canonical, dump_gold, gold_yaml, record_to_gold
from newspipe.pipeline.stages import ENTITY_LABELS, QUOTE_TYPES, STANCE_LABELS

__all__ = [
    "ENTITY_LABELS",
    "FRAGMENT_MARKS",
    "GOLD_SETS",
    "GOLD_SUFFIXES",
    "QUOTE_MARKS",
    "QUOTE_TYPES",
    "SPEAKER_GENDERS",
    "SPEAKER_KINDS",
    "STANCE_LABELS",
    "GoldCheck",
    "GoldError",
    "SpanSpec",
    "canonical",
    "check_layers",
    "check_record",
    "check_speakers",
    "dump_gold",
    "find_occurrences",
    "gold_files",
    "gold_set_files",
    "gold_yaml",
    "layer_counts",
    "load_gold",
    "read_article",
    "read_gold_data",
    "record_to_gold",
    "relative_path",
    "resolve_gold",
    "total_counts",
    "validate_gold",
]
