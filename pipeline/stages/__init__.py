"""The stage table: newspipe's four stages, their backends, where each sits in a spaCy pipeline,
the model components it needs, and the labels it writes.

This module is the one place that knows which stage a component belongs to. Nothing else
reads a stage from a factory's name; it asks :func:`stage_of` (a component of a pipeline) or
:func:`backend` (a factory). The labels — OntoNotes entity labels, quote types, stance labels —
are defined here once, as ``Literal`` types for the record contract and as tuples at run time.

Each stage is a subpackage (or module) beside this one: :mod:`.sentences`, :mod:`.entities`,
:mod:`.quotes`, :mod:`.stance`; importing it registers its factories with spaCy. Importing this
module alone imports no stage.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, get_args

if TYPE_CHECKING:
    from spacy.language import Language

EntityLabel = Literal[
    "PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW",
    "LANGUAGE", "DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL",
]  # fmt: skip
"""The OntoNotes 5 entity labels, as spaCy's English models use them."""
QuoteType = Literal["direct", "indirect", "mixed"]
"""direct: all of the content inside quotation marks; indirect: none of it; mixed: part."""
StanceLabel = Literal["FAVOR", "AGAINST", "NONE"]
"""A speaker's stance toward the document's target."""

ENTITY_LABELS: tuple[EntityLabel, ...] = get_args(EntityLabel)
QUOTE_TYPES: tuple[QuoteType, ...] = get_args(QuoteType)
STANCE_LABELS: tuple[StanceLabel, ...] = get_args(StanceLabel)

PUBLIC_STANCE_LABELS: dict[str, StanceLabel] = {
    # GWSD: does the sentence agree that climate change is a serious concern?
    "agree": "FAVOR",
    "disagree": "AGAINST",
    "neutral": "NONE",
    # Emergent: does the headline report the claim as true (for), false (against), or just
    # report it (observing)?
    "for": "FAVOR",
    "against": "AGAINST",
    "observing": "NONE",
    # VAST: stance toward the topic.
    "favor": "FAVOR",
    "favour": "FAVOR",
    "none": "NONE",
    # NewsMTSC: sentiment toward the target person (positive / negative / neutral), read as
    # favour / against / none.
    "positive": "FAVOR",
    "negative": "AGAINST",
    # Other sets' spellings.
    "pro": "FAVOR",
    "con": "AGAINST",
}
"""Stance labels of public data sets (lower-cased) → newspipe's labels."""


def stance_label(value: Any) -> StanceLabel | None:
    """A data set's stance label as FAVOR / AGAINST / NONE (case-insensitive, also the public
    spellings of :data:`PUBLIC_STANCE_LABELS`); None when it is not a known label."""
    if not isinstance(value, str):
        return None
    return PUBLIC_STANCE_LABELS.get(value.strip().lower())


Placement = Literal["before_parser", "after_ner", "last"]
"""Where a backend goes in the model's pipeline: before the parser (which keeps the sentence
boundaries it is given; first when there is none), right after the model's ``ner``, or last."""

MODEL_REQUIRES: dict[str, tuple[str, ...]] = {
    "attribute_ruler": ("tagger",),  # maps the fine-grained tags to token.pos
    "lemmatizer": ("attribute_ruler",),  # the rule lemmatizer looks up lemmas by POS
}
"""Model components that read another model component's output (spaCy's English pipelines).
Components that listen to a shared ``tok2vec`` are found in the model itself
(:func:`enabled_model_components`)."""

SHARED = "model"
"""The 'stage' of the model's own components that every stage builds on (tokenizer, tok2vec,
tagger, parser, attribute_ruler, lemmatizer)."""


@dataclass(frozen=True)
class Backend:
    """One factory of a stage.

    Attributes:
        factory: The registered factory name (spaCy forbids dots, hence the underscores).
        short: The name without the project and stage prefix, for tables.
        placement: Where the component goes in the model's pipeline.
        needs: Model components it reads the output of; the build fails without them.
        uses: Model components whose output it reads where the model has them (tags, lemmas,
            the parse); the build enables them, and leaves every model component that no
            configured backend needs or uses disabled.
    """

    factory: str
    short: str
    placement: Placement = "last"
    needs: tuple[str, ...] = ()
    uses: tuple[str, ...] = ()

    @property
    def model_components(self) -> tuple[str, ...]:
        """Every model component the backend reads: ``needs`` and ``uses``."""
        return (*self.needs, *self.uses)


@dataclass(frozen=True)
class Stage:
    """One stage: its backends (the first is the default), the model components that belong
    to it (run only when one of its backends needs them; their time counts toward the stage),
    the labels it writes, and the scorer every backend declares with its score weights.

    A scorer is a name in spaCy's ``scorers`` registry; the functions live with the other
    scorers in :mod:`newspipe.eval.scorers.spacy_scorers` and are found through the
    ``spacy_scorers`` entry points, so that this package never imports the evaluation code.
    """

    name: str
    backends: tuple[Backend, ...]
    model_components: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    scorer: str = ""
    score_weights: tuple[tuple[str, float | None], ...] = ()

    @property
    def scorer_config(self) -> dict[str, str]:
        """The ``scorer`` setting of a factory's default config."""
        return {"@scorers": self.scorer}

    @property
    def default_score_weights(self) -> dict[str, float | None]:
        """A factory's ``default_score_weights``."""
        return dict(self.score_weights)

    @property
    def factories(self) -> tuple[str, ...]:
        return tuple(b.factory for b in self.backends)

    @property
    def default(self) -> Backend:
        return self.backends[0]


DEPENDENCY_SCORER = "newspipe.dependency_scorer.v1"
"""The parser's scorer in a newspipe pipeline: dependencies only, as the sentence boundaries are
the sentence stage's to score (spaCy's parser scorer would replace its ``sents_*`` keys)."""

SENTENCES_HYBRID = "newspipe_sentences_hybrid_v1"
SENTENCES_PYSBD = "newspipe_sentences_pysbd_v1"
SENTENCES_RULES = "newspipe_sentences_rules_v1"
SENTENCES_MODEL = "newspipe_sentences_model_v1"
ENTITIES_MODEL = "newspipe_entities_model_v1"
ENTITIES_RULES = "newspipe_entities_rules_v1"
QUOTES_HYBRID = "newspipe_quotes_hybrid_v1"
QUOTES_RULES = "newspipe_quotes_rules_v1"
STANCE_RULES = "newspipe_stance_rules_v1"
STANCE_MODEL = "newspipe_stance_model_v1"

POS_COMPONENTS = ("tagger", "attribute_ruler")
LEMMA_COMPONENTS = (*POS_COMPONENTS, "lemmatizer")

STAGES: tuple[Stage, ...] = (
    Stage(
        "sentences",
        (
            # The hybrid leaves abbreviations before a capital to the parser.
            Backend(SENTENCES_HYBRID, "hybrid_v1", "before_parser", uses=("parser",)),
            Backend(SENTENCES_PYSBD, "pysbd_v1", "before_parser"),
            Backend(SENTENCES_RULES, "rules_v1", "before_parser"),
            Backend(SENTENCES_MODEL, "model_v1", "before_parser", uses=("parser",)),
        ),
        scorer="newspipe.sentences_scorer.v1",
        score_weights=(("sents_f", 1.0), ("sents_p", 0.0), ("sents_r", 0.0)),
    ),
    Stage(
        "entities",
        (
            # The corrections read part-of-speech tags (proper noun, noun, adjective).
            Backend(ENTITIES_MODEL, "model_v1", "after_ner", ("ner",), POS_COMPONENTS),
            Backend(ENTITIES_RULES, "rules_v1"),
        ),
        model_components=("ner",),
        labels=ENTITY_LABELS,
        scorer="newspipe.entities_scorer.v1",
        score_weights=(("ents_f", 1.0), ("ents_p", 0.0), ("ents_r", 0.0)),
    ),
    Stage(
        "quotes",
        (
            Backend(QUOTES_HYBRID, "hybrid_v1", needs=("parser",), uses=LEMMA_COMPONENTS),
            Backend(QUOTES_RULES, "rules_v1", needs=("parser",), uses=LEMMA_COMPONENTS),
        ),
        labels=QUOTE_TYPES,
        scorer="newspipe.quotes_scorer.v1",
        score_weights=(
            ("quotes_f", 1.0),
            ("quotes_p", 0.0),
            ("quotes_r", 0.0),
            ("cue_acc", 0.0),
            ("speaker_acc", 0.0),
            ("speaker_name_acc", 0.0),
        ),
    ),
    Stage(
        "stance",
        (
            Backend(STANCE_RULES, "rules_v1", uses=(*LEMMA_COMPONENTS, "parser")),
            Backend(STANCE_MODEL, "model_v1", uses=(*LEMMA_COMPONENTS, "parser")),
        ),
        labels=STANCE_LABELS,
        scorer="newspipe.stance_scorer.v1",
        score_weights=(("stance_macro_f", 1.0), ("stance_acc", 0.0)),
    ),
)
STAGE_NAMES: tuple[str, ...] = tuple(stage.name for stage in STAGES)

_BY_NAME = {stage.name: stage for stage in STAGES}
_BY_FACTORY = {b.factory: (stage, b) for stage in STAGES for b in stage.backends}
_BY_MODEL_COMPONENT = {name: stage.name for stage in STAGES for name in stage.model_components}


def stage(name: str) -> Stage:
    """The stage called ``name`` (``KeyError`` for another name)."""
    return _BY_NAME[name]


def backend(factory: str) -> Backend | None:
    """The backend registered as ``factory``; None for a factory that is not newspipe's."""
    found = _BY_FACTORY.get(factory)
    return found[1] if found else None


def stage_of_factory(factory: str) -> str | None:
    """The stage of a newspipe factory; None for any other factory."""
    found = _BY_FACTORY.get(factory)
    return found[0].name if found else None


def stage_of(nlp: Language, component: str) -> str:
    """The stage a component of ``nlp`` (by name) counts toward: a newspipe backend's stage, the
    stage a model component belongs to (``ner`` → entities), else :data:`SHARED`."""
    if component in _BY_MODEL_COMPONENT:
        return _BY_MODEL_COMPONENT[component]
    if component in nlp.component_names:
        found = stage_of_factory(nlp.get_pipe_meta(component).factory)
        if found is not None:
            return found
    return SHARED


def alternatives(factory: str) -> tuple[str, ...]:
    """The other backends of the stage ``factory`` belongs to (none for another factory)."""
    found = _BY_FACTORY.get(factory)
    return tuple(f for f in found[0].factories if f != factory) if found else ()


def enabled_model_components(nlp: Language, factories: list[str]) -> set[str] | None:
    """The model components of ``nlp`` that the backends ``factories`` read, with everything
    those read in turn: a ``tok2vec`` that a component listens to, the tagger under the
    attribute ruler (:data:`MODEL_REQUIRES`). None when a factory is not newspipe's (its needs
    are unknown, so the whole model runs)."""
    wanted: list[str] = []
    for factory in factories:
        found = backend(factory)
        if found is None:
            return None
        wanted.extend(found.model_components)
    listened = {
        listener: name
        for name, component in nlp.components
        for listener in getattr(component, "listening_components", ())
    }
    enabled: set[str] = set()
    while wanted:
        name = wanted.pop()
        if name in enabled or name not in nlp.component_names:
            continue
        enabled.add(name)
        wanted.extend(MODEL_REQUIRES.get(name, ()))
        if name in listened:
            wanted.append(listened[name])
    return enabled
