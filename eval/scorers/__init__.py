"""One scoring function per stage, ``(pairs, **options) -> dict`` with flat prefixed keys.

- :func:`~newspipe.eval.scorers.sentences.score_sentences`,
  :func:`~newspipe.eval.scorers.entities.score_entities`,
  :func:`~newspipe.eval.scorers.quotes.score_quotes`,
  :func:`~newspipe.eval.scorers.stance.score_stance`: each takes
  :class:`~newspipe.eval.scorers.matching.Pair` s of a predicted and a gold record (the
  contract of :mod:`newspipe.pipeline.records`), returns its metrics with ``None`` for "not
  scored", a ``<key>_ci`` bootstrap interval next to every F1 and accuracy when asked for, and
  a ``<stage>_errors`` list locating every false positive and negative by document index and
  character offsets, so that a report can show each in context;
- :mod:`~newspipe.eval.scorers.spacy_scorers`: the same functions as spaCy scorers over
  ``Example`` s, which every newspipe component declares, so that ``Language.evaluate`` and
  ``spacy evaluate`` report them.

(This package imports nothing itself: building a pipeline looks up its scorers here, and must
not pay for scikit-learn.)
"""
