"""One scoring function per stage, ``(pairs, **options) -> dict`` with flat prefixed keys.

Each function takes :class:`~eval.scorers.matching.Pair` s of a predicted and a gold record
(the contract of :mod:`newspipe.pipeline.records`), returns its metrics with ``None`` for "not
scored", a ``<key>_ci`` bootstrap interval next to every F1 and accuracy when asked for, and a
``<stage>_errors`` list locating every false positive and negative by document index and
character offsets, so that a report can show each in context.
"""

from newspipe.eval.scorers.entities import CONLL_LABELS, score_entities
from newspipe.eval.scorers.matching import DEFAULT_OVERLAP, Pair
from newspipe.eval.scorers.quotes import score_quotes
from newspipe.eval.scorers.sentences import score_sentences
from newspipe.eval.scorers.stance import STANCE_LABELS, score_stance

__all__ = [
    "CONLL_LABELS",
    "DEFAULT_OVERLAP",
    "STANCE_LABELS",
    "Pair",
    "score_entities",
    "score_quotes",
    "score_sentences",
    "score_stance",
]
