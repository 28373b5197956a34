"""Isolated and end-to-end runs: which gold input each stage receives (spy stages on a blank
pipeline, so no statistical model is needed)."""

from __future__ import annotations

from typing import Any

import pytest
from spacy.language import Language
from spacy.tokens import Doc

import newspipe.eval.run
import newspipe.eval.timing
from newspipe.eval.datasets import STAGES, GoldSet
from newspipe.eval.run import (
    isolated_stages,
    run_end_to_end,
    run_isolated,
    score,
)
from newspipe.pipeline.extensions import QUOTES_KEY, register_extensions

TEXT = "Ana Ruiz said the dam is safe. Critics disagree."


def _span(start: int, end: int) -> dict[str, Any]:
    return {"start": start, "end": end, "text": TEXT[start:end]}


GOLD = {
    "id": "dam",
    "text": TEXT,
    "target": "the dam",
    "sentences": [{"start": 0, "end": 30}, {"start": 31, "end": 48}],
    "entities": [{**_span(0, 8), "label": "PERSON"}],
    "quotes": [
        {
            "content": _span(14, 29),
            "cue": _span(9, 13),
            "speaker": _span(0, 8),
            "speaker_name": "Ana Ruiz",
            "type": "indirect",
            "stance": "FAVOR",
        }
    ],
}


SEEN: dict[str, Any] = {}
"""What the spy quote and stance stages were given, by the last document they ran on."""


# Spy stages: each writes a fixed (poor) prediction and notes what it was given.


# Registered under names outside newspipe's factory namespace (other tests enumerate
# ``newspipe_<stage>_*``); ``stage_of`` is patched to map them onto the stages.
@Language.factory("eval_test_spy_sentences")
def _make_sentences(nlp: Language, name: str) -> Any:
    def sentences(doc: Doc) -> Doc:
        for token in doc:
            token.is_sent_start = token.i == 0  # one sentence
        return doc

    return sentences


@Language.factory("eval_test_spy_entities")
def _make_entities(nlp: Language, name: str) -> Any:
    def entities(doc: Doc) -> Doc:
        doc.ents = []
        return doc

    return entities


@Language.factory("eval_test_spy_quotes")
def _make_quotes(nlp: Language, name: str) -> Any:
    def quotes(doc: Doc) -> Doc:
        SEEN["quotes saw"] = {
            "ents": [(e.start_char, e.end_char, e.label_) for e in doc.ents],
            "sents": len(list(doc.sents)),
        }
        span = doc[0:3]
        span._.quote_type = "direct"
        doc.spans[QUOTES_KEY] = [span]
        return doc

    return quotes


@Language.factory("eval_test_spy_stance")
def _make_stance(nlp: Language, name: str) -> Any:
    def stance(doc: Doc) -> Doc:
        SEEN["stance saw"] = [
            (q.start_char, q.end_char, q._.cue.text if q._.cue else None)
            for q in doc.spans.get(QUOTES_KEY, [])
        ]
        SEEN["target"] = doc._.target
        for quote in doc.spans.get(QUOTES_KEY, []):
            quote._.stance = "AGAINST"
        return doc

    return stance


def spy_stage(nlp: Language, component: str) -> str:
    return component if component in STAGES else "model"


@pytest.fixture
def spy_nlp(blank: Language, monkeypatch: pytest.MonkeyPatch) -> Language:
    register_extensions()
    monkeypatch.setattr(newspipe.eval.run, "stage_of", spy_stage)
    monkeypatch.setattr(newspipe.eval.timing, "stage_of", spy_stage)
    for stage in STAGES:
        blank.add_pipe(f"eval_test_spy_{stage}", name=stage)
    return blank


def gold_set(**changes: Any) -> GoldSet:
    values: dict[str, Any] = {
        "kind": "gold",
        "source": "test",
        "records": [GOLD],
        "layers": frozenset(STAGES),
        "scored": frozenset(STAGES),
    }
    values.update(changes)
    return GoldSet(**values)


def test_isolated_stages_get_gold_input(spy_nlp: Language) -> None:
    predictions = run_isolated(spy_nlp, gold_set())
    entities = predictions.by_stage["entities"][0]
    assert entities is not None and entities["entities"] == []  # the entity spy's own output
    quotes = predictions.by_stage["quotes"][0]
    assert quotes is not None and [q["content"]["text"] for q in quotes["quotes"]] == [
        "Ana Ruiz said"
    ]
    stance = predictions.by_stage["stance"][0]
    assert stance is not None
    assert [(q["content"], q["stance"]) for q in stance["quotes"]] == [
        (GOLD["quotes"][0]["content"], "AGAINST")
    ]
    assert predictions.times is not None and predictions.times.words > 0


def test_isolated_quote_stage_sees_gold_sentences_and_entities(spy_nlp: Language) -> None:
    SEEN.clear()
    run_isolated(spy_nlp, gold_set())
    assert SEEN["quotes saw"] == {"ents": [(0, 8, "PERSON")], "sents": 2}
    assert SEEN["stance saw"] == [(14, 29, "said")]
    assert SEEN["target"] == "the dam"
    SEEN.clear()
    run_end_to_end(spy_nlp, gold_set())
    assert SEEN["quotes saw"] == {"ents": [], "sents": 1}  # predictions, not gold
    assert SEEN["stance saw"] == [(0, 13, None)]


def test_a_stage_is_isolated_only_when_its_inputs_are_gold() -> None:
    assert isolated_stages(gold_set()) == list(STAGES)
    polnear_like = gold_set(layers=frozenset({"quotes"}), scored=frozenset({"quotes"}))
    assert isolated_stages(polnear_like) == []
    stance_like = gold_set(layers=frozenset({"quotes", "stance"}), scored=frozenset({"stance"}))
    assert isolated_stages(stance_like) == ["stance"]


def test_score_reports_both_modes_with_the_same_keys(spy_nlp: Language) -> None:
    run = score(gold_set(), spy_nlp, bootstrap=20)
    modes = run.metrics["modes"]
    assert list(modes) == ["isolated", "end-to-end"]
    for mode in modes.values():
        for key in ("sents_f", "ents_f", "ents_per_type", "quotes_f", "speaker_acc", "stance_acc"):
            assert key in mode["metrics"]
        # words as newspipe bench and spaCy count them: every token, the two periods too
        assert mode["throughput"]["words"] == 11
    isolated, end_to_end = modes["isolated"]["metrics"], modes["end-to-end"]["metrics"]
    assert isolated["sents_f"] == end_to_end["sents_f"] == 0.0  # one predicted sentence
    assert isolated["stance_n"] == 1 and isolated["stance_acc"] == 0.0  # on the gold quote
    assert end_to_end["stance_n"] == 0  # the predicted quote does not match the gold one
    kinds = {error["kind"] for error in modes["end-to-end"]["errors"]["quotes"]}
    assert kinds == {"missed quote", "spurious quote"}


def test_a_document_that_breaks_a_stage_is_skipped_and_reported(spy_nlp: Language) -> None:
    @Language.component("fail_on_second_for_test")
    def fail(doc: Doc) -> Doc:
        if doc.text.startswith("Boom"):
            raise RuntimeError("cannot handle this")
        return doc

    spy_nlp.add_pipe("fail_on_second_for_test", first=True)
    second = {**GOLD, "id": "boom", "text": "Boom. " + TEXT[6:]}
    predictions = run_end_to_end(spy_nlp, gold_set(records=[GOLD, second]))
    assert predictions.by_stage["quotes"][1] is None
    assert predictions.problems and predictions.problems[0].startswith("boom: skipped")


def test_sentence_only_sets_are_not_run_twice(spy_nlp: Language) -> None:
    sentences_only = gold_set(layers=frozenset({"sentences"}), scored=frozenset({"sentences"}))
    both = score(sentences_only, spy_nlp, bootstrap=0)
    assert list(both.metrics["modes"]) == ["end-to-end"]
    assert "isolated = end to end" in both.metrics["notes"][0]
    isolated = score(sentences_only, spy_nlp, modes=("isolated",), bootstrap=0)
    assert isolated.metrics["modes"]["isolated"]["metrics"]["sents_f"] == 0.0
    assert isolated.metrics["modes"]["isolated"]["throughput"] is None


def test_progress_hears_of_every_document_of_every_step(spy_nlp: Language) -> None:
    records = [{**GOLD, "id": f"dam{i}"} for i in range(3)]
    heard: list[tuple[str, int, int]] = []
    score(
        gold_set(records=records),
        spy_nlp,
        bootstrap=0,
        progress=lambda step, done, total: heard.append((step, done, total)),
    )
    steps = list(dict.fromkeys(step for step, _, _ in heard))
    assert steps == [
        "end to end",
        "isolated: model and entities",
        "isolated: quotes on gold entities",
        "isolated: stance on gold quotes",
    ]
    for step in steps:  # short texts share a group; each document is counted once
        counts = [(done, total) for s, done, total in heard if s == step]
        assert counts[-1] == (3, 3) and all(total == 3 for _, total in counts)


def test_every_step_of_articles_moves_one_document_at_a_time(spy_nlp: Language) -> None:
    article = TEXT + " More words here." * 150  # longer than a group
    records = [{**GOLD, "id": f"a{i}", "text": article} for i in range(3)]
    heard: list[int] = []
    score(
        gold_set(records=records, scored=frozenset({"sentences", "entities"})),
        spy_nlp,
        modes=("end-to-end",),
        bootstrap=0,
        progress=lambda step, done, total: heard.append(done),
    )
    assert heard == [1, 2, 3]


def test_quote_and_stance_errors_carry_the_predicted_speaker_cue_and_evidence(
    spy_nlp: Language,
) -> None:
    pred = {
        **GOLD,
        "quotes": [
            {
                **GOLD["quotes"][0],
                "speaker": None,
                "speaker_name": "Critics",
                "cue": None,
                "stance": "AGAINST",
                "stance_evidence": ["a negative word", "→ AGAINST"],
            },
            {**GOLD["quotes"][0], "content": _span(31, 38), "stance": None},
        ],
    }
    run = score(gold_set(), pred={"dam": pred}, bootstrap=0)
    errors = run.metrics["modes"]["pred"]["errors"]
    wrong_stance = next(e for e in errors["stance"] if e["kind"] == "wrong stance")
    assert wrong_stance["pred_quote"] == {
        "speaker": None,
        "speaker_name": "Critics",
        "cue": None,
        "type": "indirect",
        "stance": "AGAINST",
        "stance_evidence": ["a negative word", "→ AGAINST"],
    }
    assert wrong_stance["gold_quote"]["speaker"] == "Ana Ruiz"
    assert wrong_stance["gold_quote"]["cue"] == "said"
    spurious = next(e for e in errors["quotes"] if e["kind"] == "spurious quote")
    assert spurious["gold_quote"] is None and spurious["pred_quote"]["cue"] == "said"
    wrong_cue = next(e for e in errors["quotes"] if e["kind"] == "wrong cue")
    assert wrong_cue["pred_quote"]["speaker_name"] == "Critics"


def test_score_counts_words_as_bench_does(spy_nlp: Language) -> None:
    run = score(gold_set(), spy_nlp, modes=("end-to-end",), bootstrap=0)
    timing = run.metrics["modes"]["end-to-end"]["throughput"]
    docs = [spy_nlp.make_doc(GOLD["text"])]
    assert timing["words"] == newspipe.eval.timing.count_words(docs) == len(docs[0])
