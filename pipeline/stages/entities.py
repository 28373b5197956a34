"""Named entities: the model's statistical NER with general corrections, or rules alone.

- ``newspipe_entities_model_v1`` runs after the model's ``ner`` and corrects its spans, then,
  if a patterns file is given, lays an EntityRuler on top. The corrections, each switchable
  with the ``corrections`` setting:

  - ``trim``: possessive endings and leading determiners move outside the span;
  - ``titles``: a span made only of portfolio words inside a job title (the "Defense" of
    "Defense Minister", the "State" of "Secretary of State") is dropped, and title words at the
    start of a PERSON span ("Prime Minister", "Mr.") move outside it;
  - ``acronyms``: an acronym in parentheses right after a name ("Food and Drug Administration
    (FDA)") whose letters are the name's initials takes that name's label;
  - ``facilities``: a multi-word name ending in a facility head ("Airport", "Palace",
    "Bridge" …) is a FAC (an ORG only where the parse shows a place: "flew to … Airport").

  The word lists are in ``resources/entity_rules.json`` (another file: the ``rules`` setting).
- ``newspipe_entities_rules_v1`` is an EntityRuler alone (the model's ``ner`` is left out).

Labels are OntoNotes 5 labels as spaCy uses them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import srsly
from spacy.language import Language
from spacy.pipeline import EntityRuler
from spacy.tokens import Doc, Span
from spacy.training import Example
from spacy.util import filter_spans

from newspipe.pipeline.errors import PipelineError
from newspipe.pipeline.resources import resource_path
from newspipe.pipeline.stages import ENTITIES_MODEL, ENTITIES_RULES, stage
from newspipe.pipeline.stages.base import BatchComponent, DataFiles, Scorer
from newspipe.pipeline.stages.wordlists import read_word_lists

DEFAULT_PATTERNS = resource_path("entity_patterns.jsonl")
DEFAULT_RULES = resource_path("entity_rules.json")
STAGE = stage("entities")
CORRECTIONS = ("trim", "titles", "acronyms", "facilities")
ACRONYM = re.compile(r"[A-Z][A-Za-z&]{1,9}")


LEADING_DETERMINERS = {"the", "a", "an"}
POSSESSIVE_ENDINGS = {"'s", "’s", "'", "’"}


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


@dataclass(frozen=True)
class EntityRules:
    """Word lists the corrections use (lower-case)."""

    title_heads: frozenset[str]
    title_modifiers: frozenset[str]
    portfolio_words: frozenset[str]
    facility_heads: frozenset[str]
    facility_labels: frozenset[str]
    place_prepositions: frozenset[str]
    facility_exceptions: frozenset[str]


def read_entity_rules(path: str | Path | None = None) -> EntityRules:
    """Read the correction word lists (default: ``resources/entity_rules.json``)."""
    path = Path(path) if path is not None else DEFAULT_RULES
    keys = ("title_heads", "title_modifiers", "portfolio_words", "facility_heads")
    data = read_word_lists(path, "entity rules", keys)

    def words(key: str) -> frozenset[str]:
        return frozenset(str(w).lower() for w in data.get(key, []))

    return EntityRules(
        title_heads=words("title_heads"),
        title_modifiers=words("title_modifiers"),
        portfolio_words=words("portfolio_words"),
        facility_heads=words("facility_heads"),
        facility_labels=frozenset(str(w) for w in data.get("facility_labels", ["ORG", "GPE"])),
        place_prepositions=words("place_prepositions"),
        facility_exceptions=words("facility_exceptions"),
    )


def _is_title_word(token_lower: str, rules: EntityRules) -> bool:
    return (
        token_lower in rules.title_heads
        or token_lower in rules.title_modifiers
        or token_lower in rules.portfolio_words
    )


def correct_title(span: Span, rules: EntityRules) -> Span | None:
    """Drop a span of portfolio words inside a job title; move title words out of a PERSON.

    "Defense" in "Defense Minister" and "State" in "Secretary of State" are part of a title,
    not organisations: a span whose words are all portfolio words, followed by a title head
    or following "<title head> of/for", is dropped. "Prime Minister Ana Lima" as a PERSON
    becomes "Ana Lima".
    """
    doc = span.doc
    words = [t.lower_ for t in span]
    if span.label_ != "PERSON" and all(w in rules.portfolio_words for w in words):
        after = doc[span.end].lower_ if span.end < len(doc) else ""
        before = [t.lower_ for t in doc[max(0, span.start - 2) : span.start]]
        if after in rules.title_heads or (
            len(before) == 2 and before[0] in rules.title_heads and before[1] in {"of", "for"}
        ):
            return None
    if span.label_ == "PERSON":
        start = span.start
        while start < span.end - 1 and _is_title_word(doc[start].lower_, rules):
            start += 1
        heads = {t.lower_ for t in doc[span.start : start]}
        honorific = heads & (rules.title_heads | {"mr.", "mrs.", "ms.", "dr."})
        if start > span.start and honorific and (doc[start].is_title or doc[start].is_upper):
            return Span(doc, start, span.end, label=span.label, kb_id=span.kb_id)
    return span


def _initials_match(acronym: str, name: Span) -> bool:
    """Whether the capitals of ``acronym`` are the initials of the capitalised words of
    ``name`` (in order; words such as "and", "of" may be skipped)."""
    letters = [c for c in acronym if c.isupper()]
    initials = [t.text[0] for t in name if t.text[:1].isupper()]
    if not letters or not initials or letters[0] != initials[0]:
        return False
    i = 0
    for initial in initials:
        if i < len(letters) and initial == letters[i]:
            i += 1
    return i == len(letters) and len(letters) >= min(2, len(initials))


def acronym_spans(doc: Doc, spans: Sequence[Span]) -> list[Span]:
    """Acronyms in parentheses right after a name, labelled as the name."""
    found = []
    for span in spans:
        end = span.end
        if end + 2 < len(doc) and doc[end].text == "(" and doc[end + 2].text == ")":
            candidate = doc[end + 1]
            if ACRONYM.fullmatch(candidate.text) and _initials_match(candidate.text, span):
                found.append(Span(doc, end + 1, end + 2, label=span.label))
    return found


def correct_facility(span: Span, rules: EntityRules) -> Span:
    """A multi-word name that ends in a facility head ("… Airport") becomes a FAC.

    An ORG is often the institution named after its building ("The White House said"), so an
    ORG becomes a FAC only where the parse shows a place: the object of a locative
    preposition ("escorted him to … Guest House"). Without a parse ORGs are left alone, and
    so are the ``facility_exceptions``, names that stand for an institution (``White House``).
    """
    words = [t for t in span if t.lower_ not in LEADING_DETERMINERS]
    if (
        len(words) < 2
        or span.label_ not in rules.facility_labels
        or span[-1].lower_ not in rules.facility_heads
        or not span[-1].is_title
        or " ".join(t.lower_ for t in words) in rules.facility_exceptions
    ):
        return span
    if span.label_ == "ORG":
        root = span.root
        if not (
            span.doc.has_annotation("DEP")
            and root.dep_ == "pobj"
            and root.head.lower_ in rules.place_prepositions
        ):
            return span
    return Span(span.doc, span.start, span.end, label="FAC", kb_id=span.kb_id)


def correct_span(span: Span) -> Span | None:
    """Move possessive endings and leading determiners outside an entity span."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and doc[start].lower_ in LEADING_DETERMINERS:
        start += 1
    while end > start and doc[end - 1].text in POSSESSIVE_ENDINGS:
        end -= 1
    if start >= end:
        return None
    if (start, end) == (span.start, span.end):
        return span
    return Span(doc, start, end, label=span.label, kb_id=span.kb_id)


def correct_entities(
    doc: Doc, spans: Sequence[Span], rules: EntityRules, corrections: Sequence[str] = CORRECTIONS
) -> list[Span]:
    """Apply the chosen ``corrections`` to entity ``spans`` of ``doc``; non-overlapping result."""
    result: list[Span] = []
    for span in spans:
        corrected: Span | None = span
        if "trim" in corrections:
            corrected = correct_span(span)
        if corrected is not None and "titles" in corrections:
            corrected = correct_title(corrected, rules)
        if corrected is not None and "facilities" in corrections:
            corrected = correct_facility(corrected, rules)
        if corrected is not None:
            result.append(corrected)
    if "acronyms" in corrections:
        acronyms = acronym_spans(doc, result)
        covered = {(a.start, a.end) for a in acronyms}
        result = [s for s in result if (s.start, s.end) not in covered] + acronyms
    return sorted(filter_spans(result))


class EntityCorrector(BatchComponent, DataFiles):
    """Corrects the spans of an earlier NER and optionally adds rule matches on top."""

    data_attributes = frozenset({"rules", "ruler"})
    rules: EntityRules
    ruler: EntityRuler | None

    def __init__(
        self,
        nlp: Language,
        name: str,
        patterns: str | None,
        overwrite: bool = True,
        corrections: Sequence[str] = CORRECTIONS,
        rules: str | None = None,
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
        self.patterns_path = patterns

    def data_sources(self) -> dict[str, Path]:
        files = {"entity_rules.json": Path(self.rules_path) if self.rules_path else DEFAULT_RULES}
        if self.patterns_path:
            files["patterns.jsonl"] = Path(self.patterns_path)
        return files

    def read_data(self, files: Mapping[str, Path]) -> None:
        self.rules = read_entity_rules(files["entity_rules.json"])
        self.ruler = None
        if "patterns.jsonl" in files:
            ruler = EntityRuler(self.nlp, f"{self.name}_ruler", overwrite_ents=self.overwrite)
            ruler.add_patterns(read_patterns(files["patterns.jsonl"]))
            self.ruler = ruler

    def predict(self, docs: list[Doc]) -> list[list[Span]]:
        self.ensure_data()
        predictions = []
        for doc in docs:
            spans = correct_entities(doc, doc.ents, self.rules, self.corrections)
            if self.ruler is not None:
                matched = [
                    Span(doc, start, end, label=label)
                    for label, start, end in self.ruler.match(doc)
                ]
                if self.ruler.overwrite:
                    spans = filter_spans(list(matched) + spans)
                else:
                    spans = filter_spans(spans + list(matched))
            predictions.append(sorted(spans))
        return predictions

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
    scorer: Scorer | None,
) -> EntityCorrector:
    """Statistical NER (the model's ``ner``, which runs before) with general corrections."""
    corrector = EntityCorrector(
        nlp, name, patterns=patterns, overwrite=overwrite, corrections=corrections, rules=rules
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
