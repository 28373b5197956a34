from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from newspipe.pipeline.errors import PipelineError
from newspipe.pipeline.extensions import QUOTES_KEY
from newspipe.pipeline.stages.stance.lexicons import (
    RESOURCES,
    load_lexicons,
    read_cue_polarity,
    score_tokens,
)
from newspipe.pipeline.stages.stance.rules import DEFAULT_CUE_POLARITY, RuleStance, target_terms

LEMMAS = {
    "condemned": "condemn",
    "praised": "praise",
    "denied": "deny",
    "rejected": "reject",
    "allegations": "allegation",
    "tariffs": "tariff",
}


def quoted_doc(
    blank: Language,
    text: str,
    content: tuple[int, int] | None = None,
    cue: int | None = None,
    speaker: tuple[int, int] | None = None,
) -> Doc:
    """A doc with one quote (the whole text by default), lemmas from a small table."""
    if "sentencizer" not in blank.pipe_names:
        blank.add_pipe("sentencizer")
    doc = blank(text)
    for token in doc:  # a blank pipeline has no lemmatizer
        token.lemma_ = LEMMAS.get(token.lower_, token.lower_)
    span = doc[content[0] : content[1]] if content else doc[0 : len(doc)]
    span._.cue = doc[cue : cue + 1] if cue is not None else None
    if speaker is not None:
        span._.speaker = doc[speaker[0] : speaker[1]]
        span._.speaker_name = span._.speaker.text
    doc.spans[QUOTES_KEY] = [span]
    return doc


def rules(target: str | None = None, blank: Language | None = None) -> RuleStance:
    return RuleStance(
        blank, "stance", target=target, cue_polarity=str(DEFAULT_CUE_POLARITY), threshold=0.2
    )


def decide(blank: Language, doc: Doc, target: str) -> tuple[str | None, list[str]]:
    decision = rules(blank=blank).decide(doc.spans[QUOTES_KEY][0], target)
    return decision.label, decision.evidence


def test_target_terms_drop_stop_words() -> None:
    assert target_terms("The new tariffs on steel") == {"new", "tariffs", "steel"}


def test_target_analysis_topic_claim_aliases_and_names(blank: Language) -> None:
    component = rules(blank=blank)
    topic = component.analyse("the new tariffs")
    assert not topic.is_claim
    claim = component.analyse("Global warming is a serious concern for farmers")
    assert claim.is_claim and claim.is_evaluative and claim.sign == -1
    assert ("climate", "change") in claim.phrases  # alias of global warming
    relation = component.analyse("trade between Ruritania and Freedonia")
    assert relation.names == (("ruritania",), ("freedonia",))


def test_unrelated_quote_is_none(blank: Language) -> None:
    doc = quoted_doc(blank, "Berg praised the weather today.", (2, 5), cue=1)
    label, evidence = decide(blank, doc, "the tariffs")
    assert label == "NONE"
    assert "not mentioned" in evidence[0]


def test_cue_polarity_decides_when_the_target_is_mentioned(blank: Language) -> None:
    doc = quoted_doc(blank, "Berg condemned the tariffs on steel.", (2, 6), cue=1)
    label, evidence = decide(blank, doc, "tariffs")
    assert label == "AGAINST"
    assert any("condemned" in e for e in evidence)


def test_target_is_matched_by_lemma(blank: Language) -> None:
    doc = quoted_doc(blank, "Berg praised the tariffs.", (2, 4), cue=1)
    assert decide(blank, doc, "tariff")[0] == "FAVOR"


def test_content_sentiment_without_a_polar_cue(blank: Language) -> None:
    doc = quoted_doc(blank, "Berg said the tariffs are a wonderful success.", (2, 8), cue=1)
    assert decide(blank, doc, "tariffs")[0] == "FAVOR"


def test_negation_flips_content_sentiment(blank: Language) -> None:
    doc = quoted_doc(blank, "The tariffs are not a success and not good at all.")
    assert decide(blank, doc, "tariffs")[0] == "AGAINST"


def test_words_of_the_target_are_no_opinion(blank: Language) -> None:
    # "crisis" is strongly negative, but here it is only the name of the target.
    doc = quoted_doc(blank, "The housing crisis was discussed on Monday.")
    label, evidence = decide(blank, doc, "the housing crisis")
    assert label == "NONE"
    assert any("no sentiment words" in e for e in evidence)


def test_opposing_something_bad_is_positive(blank: Language) -> None:
    doc = quoted_doc(blank, "The tariffs will fight unfair and harmful dumping.")
    assert decide(blank, doc, "tariffs")[0] == "FAVOR"


def test_refuted_claim_is_against(blank: Language) -> None:
    doc = quoted_doc(blank, "Story about the mayor buying a castle is a hoax")
    label, evidence = decide(blank, doc, "The mayor has bought a castle in Spain")
    assert label == "AGAINST"
    assert any("hoax" in e for e in evidence)


def test_hedged_claim_is_none(blank: Language) -> None:
    doc = quoted_doc(blank, "Mayor reportedly bought a castle")
    label, evidence = decide(blank, doc, "The mayor has bought a castle in Spain")
    assert label == "NONE"
    assert any("reportedly" in e for e in evidence)


def test_asserted_claim_is_favor(blank: Language) -> None:
    doc = quoted_doc(blank, "Mayor buys castle in Spain")
    assert decide(blank, doc, "The mayor has bought a castle in Spain")[0] == "FAVOR"


def test_alarm_agrees_with_a_claim_of_concern(blank: Language) -> None:
    doc = quoted_doc(blank, "Global warming will bring devastating floods and famine.")
    label, evidence = decide(blank, doc, "Global warming is a serious concern")
    assert label == "FAVOR"
    assert any("evaluative claim" in e for e in evidence)


def test_derision_disagrees_with_a_claim_of_concern(blank: Language) -> None:
    doc = quoted_doc(blank, "The whole climate change scare is alarmism.")
    assert decide(blank, doc, "Global warming is a serious concern")[0] == "AGAINST"


def test_both_parties_together_count_as_the_target(blank: Language) -> None:
    doc = quoted_doc(blank, "He said both nations value their wonderful friendship.", (2, 8))
    label, evidence = decide(blank, doc, "trade between Ruritania and Freedonia")
    assert label == "FAVOR"
    assert any("both" in e for e in evidence)


def test_a_party_to_the_target_saying_something_neutral_is_none(blank: Language) -> None:
    # The guidelines: facts and announcements without evaluation are NONE, even from a side.
    doc = quoted_doc(
        blank,
        "The Ruritanian minister said trade with Freedonia will resume.",
        (4, 10),
        speaker=(1, 3),
    )
    label, evidence = decide(blank, doc, "trade between Ruritania and Freedonia")
    assert label == "NONE"
    assert not any("party" in e for e in evidence)


def test_a_denial_of_allegations_says_nothing_of_a_topic(blank: Language) -> None:
    doc = quoted_doc(blank, "Both Ruritania and Freedonia rejected the allegations.", (5, 7), cue=4)
    assert decide(blank, doc, "trade between Ruritania and Freedonia")[0] == "NONE"


def test_no_target_gives_no_label(blank: Language) -> None:
    doc = quoted_doc(blank, "Berg said the tariffs are bad.", (2, 6), cue=1)
    rules(blank=blank)(doc)
    assert doc.spans[QUOTES_KEY][0]._.stance is None
    assert doc.spans[QUOTES_KEY][0]._.stance_evidence == ["no target"]


def test_document_target_wins_over_config(blank: Language) -> None:
    doc = quoted_doc(blank, "Berg condemned the tariffs.", (2, 4), cue=1)
    doc._.target = "tariffs"
    rules("weather", blank)(doc)
    assert doc.spans[QUOTES_KEY][0]._.stance == "AGAINST"


def test_config_target_is_used_and_recorded(blank: Language) -> None:
    doc = quoted_doc(blank, "Berg condemned the tariffs.", (2, 4), cue=1)
    rules("tariffs", blank)(doc)
    assert doc._.target == "tariffs"
    assert doc.spans[QUOTES_KEY][0]._.stance == "AGAINST"


def test_scoring_flips_negated_words_and_counts_hedges() -> None:
    lexicons = load_lexicons()
    forms = ["it", "is", "not", "good", ",", "reportedly", "?"]
    score = score_tokens(lexicons, forms, forms)
    assert score.total < 0
    assert score.hedges == ["reportedly"]
    assert score.questions == 1


def test_a_bad_lexicon_line_is_one_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "cues.tsv"
    bad.write_text("praise\tGOOD\n", encoding="utf-8")
    with pytest.raises(PipelineError, match=r"cues.tsv:1: expected"):
        read_cue_polarity(bad)
    with pytest.raises(PipelineError, match="cannot read"):
        read_cue_polarity(tmp_path / "missing.tsv")


def test_resources_hold_no_duplicate_cue_with_two_polarities() -> None:
    seen: dict[str, str] = {}
    for line in (RESOURCES / "stance_cues.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            lemma, label = line.split("\t")
            assert seen.setdefault(lemma, label) == label, lemma


@pytest.mark.model
def test_rules_in_the_real_pipeline_use_lemmas_and_the_parse(nlp: Language) -> None:
    assert not nlp.analyze_pipes()["problems"]["stance"]
    text = (
        "The mayor of Eastwick condemned the new tariffs on steel. "
        "Farmers said the tariffs are not a success."
    )
    with nlp.select_pipes(disable=["quotes", "stance"]):
        doc = nlp(text)
    doc._.target = "tariffs on steel"
    condemned = next(t for t in doc if t.text == "condemned")
    first = doc[condemned.i + 1 : condemned.i + 6]
    first._.cue = doc[condemned.i : condemned.i + 1]
    said = next(t for t in doc if t.text == "said")
    second = doc[said.i + 1 : len(doc) - 1]
    second._.cue = doc[said.i : said.i + 1]
    doc.spans[QUOTES_KEY] = [first, second]
    nlp.get_pipe("stance")(doc)
    assert [q._.stance for q in doc.spans[QUOTES_KEY]] == ["AGAINST", "AGAINST"]
    assert any("condemned" in e for e in doc.spans[QUOTES_KEY][0]._.stance_evidence)
    # The whole text as one quote without a cue (how the evaluation scores stance data sets).
    whole = nlp.make_doc("Steel tariffs are a wonderful success for the country.")
    with nlp.select_pipes(disable=["quotes", "stance"]):
        whole = nlp(whole)
    whole.spans[QUOTES_KEY] = [whole[0 : len(whole)]]
    whole._.target = "tariffs on steel"
    nlp.get_pipe("stance")(whole)
    assert whole.spans[QUOTES_KEY][0]._.stance == "FAVOR"


def test_a_pronoun_target_makes_every_quote_relevant(blank: Language) -> None:
    doc = quoted_doc(blank, "Critics said his plan was a terrible failure.")
    label, evidence = decide(blank, doc, "he")
    assert label == "AGAINST"
    assert "no content words" in evidence[0]
