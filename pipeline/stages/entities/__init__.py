"""Named entities: the model's statistical NER with general corrections, or rules alone.

- ``newspipe_entities_model_v1`` runs after the model's ``ner`` and corrects its spans, then,
  if a patterns file is given, lays an EntityRuler on top. The corrections, each switchable
  with the ``corrections`` setting, run in this order:

  - ``trim`` (:mod:`.spans`): possessive endings, leading determiners (not of dates), "only"
    before numbers, hyphen prefixes and trailing common nouns move outside the span;
  - ``titles`` (:mod:`.spans`): titles, roles and honorifics of ``entity_titles.tsv`` move out
    of PERSON spans; title-only spans and post-nominal letters are dropped; portfolio words in
    job titles ("Defense" of "Defense Minister") are not organisations;
  - ``facilities`` (:mod:`.spans`): a multi-word name ending in a facility head is a FAC;
  - ``acronyms`` (:mod:`.spans`): a parenthesised acronym and the name it abbreviates share
    one label;
  - ``numbers``, ``money``, ``dates`` (:mod:`.numbers`): approximators, ranges, scores, ranks,
    MONEY and PERCENT from a currency or percent word anywhere in the phrase
    (``currencies.tsv``), day parts, match minutes, date lines;
  - ``names`` (:mod:`.names`): "The" in names, organisation names over "of"/"for", people's
    whole names, tournament groups and awards, places in lists, common words;
  - ``datelines`` (:mod:`.datelines`): a story's dateline (``OSLO, Norway (Reuters) –``) gives
    its place and comma parts as GPE (a date part as DATE) and its agency as ORG, over what
    the model said;
  - ``consistency`` (:mod:`.consistency`): one label per name within a document, from the
    model's own votes and the context (a surname after the full name, an organisation's
    initials), and unlabelled mentions of a decided name labelled.

  The word lists are data files in ``resources/`` (``entity_rules.json``,
  ``entity_titles.tsv``, ``currencies.tsv``; other files: the ``rules``, ``titles`` and
  ``currencies`` settings).
- ``newspipe_entities_rules_v1`` is an EntityRuler alone (the model's ``ner`` is left out).

Labels are OntoNotes 5 labels as spaCy uses them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import srsly
from spacy.language import Language
from spacy.pipeline import EntityRuler
from spacy.tokens import Doc, Span
from spacy.training import Example

from newspipe.pipeline.errors import PipelineError
from newspipe.pipeline.resources import resource_path
from newspipe.pipeline.stages import ENTITIES_MODEL, ENTITIES_RULES, stage
from newspipe.pipeline.stages.base import BatchComponent, DataFiles, Scorer
from newspipe.pipeline.stages.entities.corrections import CORRECTIONS, correct_entities
from newspipe.pipeline.stages.entities.datelines import dateline_entities
from newspipe.pipeline.stages.entities.rules import (
    DEFAULT_CURRENCIES,
    DEFAULT_RULES,
    DEFAULT_TITLES,
    EntityRules,
    read_entity_rules,
)
from newspipe.pipeline.stages.entities.spans import correct_span
from newspipe.pipeline.stages.sentences import SentenceRules, read_sentence_rules

__all__ = [
    "CORRECTIONS",
    "EntityCorrector",
    "EntityRules",
    "PatternEntities",
    "correct_entities",
    "correct_span",
    "read_entity_rules",
    "read_patterns",
]

DEFAULT_PATTERNS = resource_path("entity_patterns.jsonl")
STAGE = stage("entities")


def read_patterns(path: str | Path) -> list[dict]:
    """Read EntityRuler patterns (JSONL, one ``{"label", "pattern"}`` per line)."""
    path = Path(path)
    if not path.is_file():
        raise PipelineError(f"{path}: entity patterns file not found")
    try:
        patterns = list(srsly.read_jsonl(path))
    except ValueError as err:
        raise PipelineError(f"{path}: not a JSONL patterns file ({err})") from None
    for n, pattern in enumerate(patterns, 1):
        if not isinstance(pattern, dict) or "label" not in pattern or "pattern" not in pattern:
            raise PipelineError(f"{path}:{n}: a pattern needs 'label' and 'pattern'")
    return patterns


class EntityCorrector(BatchComponent, DataFiles):
    """Corrects the spans of an earlier NER and optionally adds rule matches on top."""

    data_attributes = frozenset({"rules", "ruler", "sentence_rules"})
    rules: EntityRules
    ruler: EntityRuler | None
    sentence_rules: SentenceRules

    def __init__(
        self,
        nlp: Language,
        name: str,
        patterns: str | None,
        overwrite: bool = True,
        corrections: Sequence[str] = CORRECTIONS,
        rules: str | None = None,
        titles: str | None = None,
        currencies: str | None = None,
    ) -> None:
        self.name = name
        unknown = sorted(set(corrections) - set(CORRECTIONS))
        if unknown:
            known = ", ".join(CORRECTIONS)
            raise PipelineError(f"unknown entity correction '{unknown[0]}' (known: {known})")
        self.corrections = tuple(corrections)
        self.nlp = nlp
        self.overwrite = overwrite
        self.rules_path = rules
        self.titles_path = titles
        self.currencies_path = currencies
        self.patterns_path = patterns

    def data_sources(self) -> dict[str, Path]:
        files = {
            "entity_rules.json": Path(self.rules_path) if self.rules_path else DEFAULT_RULES,
            "entity_titles.tsv": Path(self.titles_path) if self.titles_path else DEFAULT_TITLES,
            "currencies.tsv": (
                Path(self.currencies_path) if self.currencies_path else DEFAULT_CURRENCIES
            ),
        }
        if self.patterns_path:
            files["patterns.jsonl"] = Path(self.patterns_path)
        return files

    def read_data(self, files: Mapping[str, Path]) -> None:
        self.rules = read_entity_rules(
            files["entity_rules.json"], files["entity_titles.tsv"], files["currencies.tsv"]
        )
        self.sentence_rules = read_sentence_rules()  # packaged, as the sentence stage's default
        self.ruler = None
        if "patterns.jsonl" in files:
            ruler = EntityRuler(self.nlp, f"{self.name}_ruler", overwrite_ents=self.overwrite)
            ruler.add_patterns(read_patterns(files["patterns.jsonl"]))
            self.ruler = ruler

    def predict(self, docs: list[Doc]) -> list[list[Span]]:
        self.ensure_data()
        predictions = []
        for doc in docs:
            matched = self._ruler_spans(doc) if self.ruler is not None else []
            if "datelines" in self.corrections:
                taken = {i for span in matched for i in range(span.start, span.end)}
                matched += [
                    span
                    for span in dateline_entities(doc, self.sentence_rules)
                    if not taken.intersection(range(span.start, span.end))
                ]
            spans = correct_entities(
                doc, doc.ents, self.rules, self.corrections, fixed=matched, overwrite=self.overwrite
            )
            predictions.append(spans)
        return predictions

    def _ruler_spans(self, doc: Doc) -> list[Span]:
        """The patterns' matches as spans with their label and pattern id (as the EntityRuler
        sets them), earlier and longer matches first, none overlapping."""
        assert self.ruler is not None
        spans: list[Span] = []
        seen: set[int] = set()
        for match_id, start, end in self.ruler.match(doc):
            if seen.intersection(range(start, end)):
                continue
            if match_id in self.ruler._ent_ids:
                label, ent_id = self.ruler._ent_ids[match_id]
                spans.append(Span(doc, start, end, label=label, span_id=ent_id))
            else:
                spans.append(Span(doc, start, end, label=match_id))
            seen.update(range(start, end))
        return spans

    def set_annotations(self, docs: list[Doc], spans: list[list[Span]]) -> list[Doc]:
        for doc, doc_spans in zip(docs, spans, strict=True):
            doc.ents = doc_spans
        return docs


@Language.factory(
    ENTITIES_MODEL,
    requires=["doc.ents"],
    assigns=["doc.ents", "token.ent_iob", "token.ent_type"],
    default_config={
        "patterns": None,
        "overwrite": True,
        "corrections": list(CORRECTIONS),
        "rules": None,
        "titles": None,
        "currencies": None,
        "scorer": STAGE.scorer_config,
    },
    default_score_weights=STAGE.default_score_weights,
)
def make_entity_corrector(
    nlp: Language,
    name: str,
    patterns: str | None,
    overwrite: bool,
    corrections: list[str],
    rules: str | None,
    titles: str | None,
    currencies: str | None,
    scorer: Scorer | None,
) -> EntityCorrector:
    """Statistical NER (the model's ``ner``, which runs before) with general corrections."""
    corrector = EntityCorrector(
        nlp,
        name,
        patterns=patterns,
        overwrite=overwrite,
        corrections=corrections,
        rules=rules,
        titles=titles,
        currencies=currencies,
    )
    corrector.scorer = scorer
    return corrector


class PatternEntities(EntityRuler):
    """spaCy's EntityRuler (overwriting the entities it meets) with its patterns from a JSONL
    file, read on first use, by ``initialize``, or from a saved pipeline by ``from_disk``
    (``EntityRuler`` saves its patterns itself)."""

    def __init__(
        self, nlp: Language, name: str, patterns: str | None, scorer: Scorer | None = None
    ) -> None:
        super().__init__(nlp, name, overwrite_ents=True, scorer=scorer)
        self.patterns_path = patterns
        self.patterns_loaded = False

    def load_patterns(self) -> None:
        """Add the patterns of the configured file (default: the packaged one), once."""
        if not self.patterns_loaded:
            self.add_patterns(read_patterns(self.patterns_path or DEFAULT_PATTERNS))
            self.patterns_loaded = True

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Example]] | None = None,
        *,
        nlp: Language | None = None,
        patterns: Sequence[dict[str, Any]] | None = None,
    ) -> None:
        if patterns is not None:
            super().initialize(get_examples or (lambda: []), nlp=nlp, patterns=patterns)
            self.patterns_loaded = True
        else:
            self.load_patterns()

    def match(self, doc: Doc) -> Any:
        self.load_patterns()
        return super().match(doc)

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        self.load_patterns()
        super().to_disk(path, exclude=exclude)

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        self.load_patterns()
        return super().to_bytes(exclude=exclude)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> PatternEntities:
        super().from_disk(path, exclude=exclude)
        self.patterns_loaded = True
        return self

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> PatternEntities:
        super().from_bytes(data, exclude=exclude)
        self.patterns_loaded = True
        return self


@Language.factory(
    ENTITIES_RULES,
    assigns=["doc.ents", "token.ent_iob", "token.ent_type"],
    default_config={"patterns": None, "scorer": STAGE.scorer_config},
    default_score_weights=STAGE.default_score_weights,
)
def make_entity_rules(
    nlp: Language, name: str, patterns: str | None, scorer: Scorer | None
) -> PatternEntities:
    """An EntityRuler alone, with patterns from a JSONL file (default: the packaged one)."""
    return PatternEntities(nlp, name, patterns, scorer)
