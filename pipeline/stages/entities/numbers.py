"""Corrections of numeric entities: numbers, money, dates (the guidelines' numeric conventions)."""

from __future__ import annotations

import re

from newspipe.pipeline.stages.entities.rules import EntityRules
from newspipe.pipeline.stages.entities.tokens import Ent, Tokens, covered

YEAR = re.compile(r"1\d{3}|20\d{2}")
CLOCK = re.compile(r"\d{1,2}[:.]\d{2}")
ORDINAL_WORD = re.compile(
    r"\d+(st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth"
)
SCORE_DASHES = frozenset({"–", "-", "—"})
COORDINATORS = (("or",), ("to",), ("-",), ("–",), ("through",))
TIME_PREPOSITIONS = frozenset({"over", "under", "above", "below"})
"""Approximators of counts that before a duration mean "during" ("cost $3bn over 10 years")."""
RELATIVE_DETERMINERS = frozenset({"this", "last", "next"})
NUMBER_LABELS = frozenset({"CARDINAL", "MONEY", "PERCENT", "QUANTITY", "DATE", "TIME"})


def _overlapping(ents: list[Ent], start: int, end: int) -> list[Ent]:
    return [x for x in ents if x[0] < end and x[1] > start]


def _without(ents: list[Ent], start: int, end: int) -> list[Ent]:
    return [x for x in ents if x[1] <= start or x[0] >= end]


# --------------------------------------------------------------------------- numbers


def numbers(tok: Tokens, ents: list[Ent], rules: EntityRules) -> list[Ent]:
    """Numbers as the guidelines write them.

    - approximators inside ("[about 80]", "[at least 107]", "[more than 20 percent]",
      "[107 or more]"); for dates and times only before a count ("[nearly two decades]"), never
      before a year;
    - coordinated alternatives and ranges are one entity ("[two or three]", "[1980 to 2012]");
    - a match score "1 – 0" is two CARDINALs, and a name next to it loses the digit;
    - ranks "[#2]", "[number 3]" are ORDINAL; fractions "[a third]" CARDINAL; the numeral
      "[one]" counting something ("[one] of the nations", "[one] side") CARDINAL, "[one day]"
      DATE; clock times "[15:11 GMT]" TIME.
    """
    n = len(tok)
    taken = covered(ents)
    out: list[Ent] = []
    for start, end, label in ents:
        s, e = start, end
        if label in NUMBER_LABELS:
            counts = tok.number(s) or tok.lower[s] in {"a", "an", "least", "most", "than"}
            bare_year = e - s == 1 and YEAR.fullmatch(tok.text[s]) is not None
            if label in ("DATE", "TIME") and (not counts or bare_year):
                out.append((s, e, label))
                continue
            if tok.lower[s] in {"least", "most"} and s >= 1 and tok.lower[s - 1] == "at":
                s -= 1
            if tok.lower[s] == "than" and s >= 1 and tok.lower[s - 1] in {"more", "less", "fewer"}:
                s -= 1
            while True:
                if (
                    s >= 1
                    and tok.lower[s - 1] in rules.approximators
                    and s - 1 not in taken
                    and not (label in ("DATE", "TIME") and tok.lower[s - 1] in TIME_PREPOSITIONS)
                ):
                    s -= 1
                    continue
                pair = next(
                    (p for p in rules.approximator_pairs
                     if s >= len(p) and tuple(tok.lower[s - len(p) : s]) == p
                     and not taken.intersection(range(s - len(p), s))),
                    None,
                )  # fmt: skip
                if pair is None:
                    break
                s -= len(pair)
            if label in ("DATE", "TIME") and e < n and tok.lower[e] in rules.relative_time_words:
                e += 1
            if e + 1 < n and tok.lower[e] == "or" and tok.lower[e + 1] in {"more", "less", "so"}:
                e += 2
        out.append((s, e, label))
    out = _coordinated(tok, out)
    out = _scores(tok, out)
    return _number_words(tok, out, rules)


def _coordinated(tok: Tokens, ents: list[Ent]) -> list[Ent]:
    """'[two] or [three]' → one; '[2004] to 2009' after 'from' → one DATE."""
    ents = sorted(ents)
    merged: list[Ent] = []
    for ent in ents:
        if merged:
            ps, pe, pl = merged[-1]
            gap = tuple(tok.lower[pe : ent[0]])
            if (
                pl == ent[2]
                and pl in NUMBER_LABELS
                and gap in COORDINATORS
                and pe - ps <= 3
                and not (gap == ("to",) and pl == "CARDINAL")
            ):
                merged[-1] = (ps, ent[1], pl)
                continue
        merged.append(ent)
    taken = covered(merged)
    n = len(tok)
    out = []
    for s, e, label in merged:
        if (
            label == "DATE"
            and e - s == 1
            and YEAR.fullmatch(tok.text[s])
            and e + 1 < n
            and tok.lower[e] in {"to", "through", "-", "–", "until"}
            and YEAR.fullmatch(tok.text[e + 1])
            and e + 1 not in taken
            and s >= 1
            and tok.lower[s - 1] in {"from", "period", "between"}
        ):
            e += 2
        out.append((s, e, label))
    return out


def _scores(tok: Tokens, ents: list[Ent]) -> list[Ent]:
    """'Norway 2 – 1 Chile': each score number is a CARDINAL."""
    n = len(tok)
    numbers: set[int] = set()
    dashes = sorted(i for dash in SCORE_DASHES for i in tok.where(dash))
    for i in dashes:
        if (
            0 < i < n - 1
            and tok.text[i - 1].isdigit()
            and tok.text[i + 1].isdigit()
            and len(tok.text[i - 1]) <= 2
            and len(tok.text[i + 1]) <= 2
            and tok.space[i]
            and tok.space[i - 1]
        ):
            numbers.update((i - 1, i + 1))
    if not numbers:
        return ents
    out = []
    for s, e, label in ents:
        inside = [i for i in range(s, e) if i in numbers]
        if not inside or (label == "CARDINAL" and e - s == 1):
            out.append((s, e, label))
        elif label not in NUMBER_LABELS and label != "ORDINAL":
            while e > s and e - 1 in numbers:
                e -= 1
            while s < e and s in numbers:
                s += 1
            if s < e:
                out.append((s, e, label))
    taken = covered(out)
    out += [(i, i + 1, "CARDINAL") for i in sorted(numbers - taken)]
    return out


def _number_words(tok: Tokens, ents: list[Ent], rules: EntityRules) -> list[Ent]:
    n = len(tok)
    out = list(ents)
    taken = covered(out)
    candidates = {i for i, t in enumerate(tok.text) if ":" in t}
    candidates.update(tok.where("#"))
    candidates.update(tok.where_lower([*rules.rank_words, *rules.fractions, "one"]))
    for i in sorted(candidates):
        low = tok.lower[i]
        if CLOCK.fullmatch(tok.text[i]) and ":" in tok.text[i]:
            e = i + 1
            if e < n and tok.lower[e] in {"am", "pm", "a.m.", "p.m."}:
                e += 1
            if e < n and tok.text[e] in rules.timezones:
                e += 1
            cover = _overlapping(out, i, e)
            if all(x[2] in {"CARDINAL", "TIME", "ORG"} and x[0] >= i and x[1] <= e for x in cover):
                out = [*_without(out, i, e), (i, e, "TIME")]
        elif low in rules.rank_words and i + 1 < n and tok.text[i + 1].isdigit():
            if not (i >= 1 and tok.lower[i - 1] in {"a", "the", "phone", "serial", "account"}):
                out = [*_without(out, i, i + 2), (i, i + 2, "ORDINAL")]
        elif tok.text[i] == "#" and i + 1 < n and tok.text[i + 1].isdigit() and not tok.space[i]:
            cover = _overlapping(out, i, i + 2)
            if all(x[2] in {"MONEY", "CARDINAL", "ORDINAL"} for x in cover):
                out = [*_without(out, i, i + 2), (i, i + 2, "ORDINAL")]
        elif (
            low in rules.fractions
            and i >= 1
            and tok.lower[i - 1] in {"a", "one"}
            and (i + 1 >= n or not (tok.noun(i + 1) or tok.adj(i + 1) or tok.propn(i + 1)))
            and all(
                x[2] in {"ORDINAL", "CARDINAL", "DATE"} for x in _overlapping(out, i - 1, i + 1)
            )
        ):
            cover = _overlapping(out, i - 1, i + 1)
            start = min([i - 1] + [x[0] for x in cover])  # "[less than a third]" stays whole
            end = max([i + 1] + [x[1] for x in cover])
            out = [*_without(out, start, end), (start, end, "CARDINAL")]
        elif low == "one" and i not in taken and tok.text[i] in ("one", "One"):
            prev = tok.lower[i - 1] if i >= 1 else ""
            if prev in {"the", "a", "this", "that", "no", "every", "any", "each", "which",
                        "another"} or (i >= 1 and tok.adj(i - 1)):  # fmt: skip
                continue
            if i + 1 >= n:
                continue
            nxt = tok.lower[i + 1]
            if nxt in rules.time_units_date and i + 1 not in taken:
                out.append((i, i + 2, "DATE"))
            elif nxt in rules.time_units_time and i + 1 not in taken:
                out.append((i, i + 2, "TIME"))
            elif (
                nxt == "of"
                or (tok.noun(i + 1) and i + 1 not in taken)
                or (nxt in {"or", "and"} and i + 2 < n and tok.number(i + 2))
            ):
                out.append((i, i + 1, "CARDINAL"))
    # "the second [half]": a match unit after an ordinal is not a number
    return [
        x
        for x in out
        if not (
            x[2] == "CARDINAL"
            and x[1] - x[0] == 1
            and tok.lower[x[0]] in rules.match_units
            and x[0] >= 1
            and ORDINAL_WORD.fullmatch(tok.lower[x[0] - 1])
        )
    ]


# --------------------------------------------------------------------------- money


def money(tok: Tokens, ents: list[Ent], rules: EntityRules) -> list[Ent]:
    """MONEY from a currency anywhere in the phrase, PERCENT from a percent word.

    A number with a currency symbol or code before it ("$ 200", "US$ 35,000", "NZ $ 26
    million") or a currency word after it ("40 million kroner", "over 310,000 euros") is MONEY,
    symbol and word inside the span; a "MONEY" whose phrase is a percentage is PERCENT.
    """
    n = len(tok)
    out = []
    for start, end, label in ents:
        s, e = start, end
        if label in {"CARDINAL", "MONEY", "QUANTITY", "DATE"} and any(
            tok.number(i) for i in range(s, e)
        ):
            if s >= 1 and _currency_before(tok, s - 1, rules):
                s -= 1
                label = "MONEY"
            if _currency_before(tok, s, rules):
                label = "MONEY"
            if (
                label == "MONEY"
                and s >= 1
                and tok.text[s - 1] in rules.currency_prefixes
                and tok.text[s] in rules.currency_symbols
            ):
                s -= 1
            if label != "DATE" and e < n:
                word = tok.lower[e]
                if (
                    word in rules.currency_words
                    or tok.text[e] in rules.currency_codes
                    or (word in rules.currency_ambiguous and label == "MONEY")
                ):
                    e += 1
                    label = "MONEY"
            if label == "MONEY" and e < n and tok.lower[e] in rules.percent_words:
                e += 1
                label = "PERCENT"
            if (
                label == "MONEY"
                and not any(
                    _currency_before(tok, i, rules) or tok.lower[i] in rules.currency_words
                    for i in range(s, e)
                )
                and any(tok.lower[i] in {"percent", "cent", "%"} for i in range(s, e))
            ):
                label = "PERCENT"
        out.append((s, e, label))
    return out


def _currency_before(tok: Tokens, i: int, rules: EntityRules) -> bool:
    return tok.text[i] in rules.currency_symbols or tok.text[i] in rules.currency_codes


# --------------------------------------------------------------------------- dates


def dates(tok: Tokens, ents: list[Ent], rules: EntityRules) -> list[Ent]:
    """Dates and times as the guidelines write them.

    - a day and a part of it are one DATE ("[Thursday night]", "[yesterday afternoon]");
    - in "the 20th minute", "the first half" of a match only the ordinal is annotated;
    - a date line "[Thursday, May 7, 2015]" and "[March 11 this year]" are one DATE;
    - frequencies are DATE ("[annual]", "[daily]").
    """
    n = len(tok)
    out: list[Ent] = []
    for start, end, label in ents:
        s, e = start, end
        words = tok.lower[s:e]
        if label in {"TIME", "DATE", "CARDINAL"}:
            ordinals = [i for i in range(s, e) if ORDINAL_WORD.fullmatch(tok.lower[i])]
            if len(ordinals) == 1 and words[-1] in rules.match_units and e - s <= 3:
                out.append((ordinals[0], ordinals[0] + 1, "ORDINAL"))
                continue
        if (
            label == "TIME"
            and words[-1] in rules.day_parts
            and s >= 1
            and (tok.lower[s - 1] in rules.weekdays or tok.lower[s - 1] in rules.day_words)
        ):
            s, label = s - 1, "DATE"
        if (
            label == "TIME"
            and (words[0] in rules.weekdays or words[0] in rules.day_words)
            and words[-1] in rules.day_parts
        ):
            label = "DATE"
        if (
            label == "DATE"
            and e < n
            and tok.lower[e] in rules.day_parts
            and (words[-1] in rules.weekdays or words[-1] in rules.day_words)
        ):
            e += 1
        out.append((s, e, label))
    out = _date_lines(tok, out, rules)
    taken = covered(out)
    for i in tok.where_lower(rules.frequencies):
        if tok.is_lower(i) and i not in taken:
            out.append((i, i + 1, "DATE"))
    # an ordinal that the model merged into a day part ("the [first half]") is handled above;
    # "[Tuesday] [night]" as two spans:
    return out


def _date_lines(tok: Tokens, ents: list[Ent], rules: EntityRules) -> list[Ent]:
    ents = sorted(ents)
    out: list[Ent] = []
    for ent in ents:
        if out:
            ps, pe, pl = out[-1]
            gap = tok.lower[pe : ent[0]]
            if pl == ent[2] == "DATE" and (
                (
                    not gap
                    and tok.lower[ent[0]] in RELATIVE_DETERMINERS
                    and (tok.text[pe - 1].isdigit() or tok.lower[pe - 1] in rules.months)
                )
                or (
                    gap == [","]
                    and (
                        tok.lower[ps] in rules.weekdays
                        or tok.lower[ps] in rules.months
                        or tok.lower[pe - 1] in rules.months
                    )
                )
            ):
                out[-1] = (ps, ent[1], "DATE")
                continue
        out.append(ent)
    return out
