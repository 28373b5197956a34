from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.extensions import QUOTES_KEY
from pipeline.stance.rules import DEFAULT_CUE_POLARITY, RuleStance, target_terms


def quoted_doc(blank: Language, text: str, content: tuple[int, int], cue: int | None) -> Doc:
    blank.add_pipe("sentencizer")
    doc = blank(text)
    for token in doc:  # a blank pipeline has no lemmatizer
        token.lemma_ = {"condemned": "condemn", "praised": "praise"}.get(token.lower_, token.lower_)
    span = doc[content[0] : content[1]]
    span._.cue = doc[cue : cue + 1] if cue is not None else None
    doc.spans[QUOTES_KEY] = [span]
    return doc


def stance(target: str | None) -> RuleStance:
    return RuleStance(
        "stance", target=target, cue_polarity=str(DEFAULT_CUE_POLARITY), threshold=0.3
    )


def test_target_terms_drop_stop_words() -> None:
    assert target_terms("The new tariffs on steel") == {"new", "tariffs", "steel"}


def test_unrelated_quote_is_none(blank: Language) -> None:
    doc = quoted_doc(blank, "Berg praised the weather today.", (2, 5), cue=1)
    assert stance("the tariffs").decide(doc.spans[QUOTES_KEY][0], "the tariffs").label == "NONE"


def test_cue_polarity_decides_when_the_target_is_mentioned(blank: Language) -> None:
    doc = quoted_doc(blank, "Berg condemned the tariffs on steel.", (2, 6), cue=1)
    decision = stance(None).decide(doc.spans[QUOTES_KEY][0], "tariffs")
    assert decision.label == "AGAINST"
    assert any("condemned" in e for e in decision.evidence)


def test_content_sentiment_without_a_polar_cue(blank: Language) -> None:
    doc = quoted_doc(blank, "Berg said the tariffs are a wonderful success.", (2, 8), cue=1)
    assert stance(None).decide(doc.spans[QUOTES_KEY][0], "tariffs").label == "FAVOR"


def test_no_target_gives_no_label(blank: Language) -> None:
    doc = quoted_doc(blank, "Berg said the tariffs are bad.", (2, 6), cue=1)
    component = stance(None)
    component(doc)
    assert doc.spans[QUOTES_KEY][0]._.stance is None


def test_document_target_wins_over_config(blank: Language) -> None:
    doc = quoted_doc(blank, "Berg condemned the tariffs.", (2, 4), cue=1)
    doc._.target = "tariffs"
    stance("weather")(doc)
    assert doc.spans[QUOTES_KEY][0]._.stance == "AGAINST"
