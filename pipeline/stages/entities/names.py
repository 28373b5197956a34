"""Corrections of names: their extent and their label from the words around them."""

from __future__ import annotations

from newspipe.pipeline.stages.entities.rules import EntityRules
from newspipe.pipeline.stages.entities.tokens import NAME_LABELS, Ent, Tokens, covered

THE_INSIDE = frozenset({"ORG", "PERSON", "WORK_OF_ART", "EVENT", "PRODUCT", "LAW"})
PLACE_LIKE = frozenset({"GPE", "LOC", "ORG", "PERSON"})
DETERMINERS = frozenset({"the", "a", "an"})
ORG_INNER = frozenset({"of", "&"})  # "and" joins two names more often than it is inside one
AWARD_CONNECTORS = frozenset({"of", "the", "for"})


def names(tok: Tokens, ents: list[Ent], rules: EntityRules) -> list[Ent]:
    """Extent and label of names from the words around them.

    - a capitalised "The" written as part of a name goes inside ("[The Harbour Post]", a
      quoted title "[The Long Night]"), unless the article also writes the
      name after a lowercase "the"; at a sentence start only for publications;
    - an organisation continues over "for/of/on" + capitalised words ("[Lima Foundation
      for the Coastal Arts]") and back over capitalised words before an organisation head
      ("[Fjord Society of Norway]");
    - a one-word PERSON takes an untagged capitalised neighbour ("[Johnnie Winter]",
      "[Ivar Holm]") and a hyphenated given name ("[Chan Siu-ming]"); two one-word names
      next to each other with only a space between are one PERSON ("[Signe Bergen]");
    - "Group C" of a tournament is an EVENT; a name before a lowercase "award"/"prize" is a
      WORK_OF_ART;
    - a one-word name joined by a comma to a GPE in a list of places is a GPE ("Tromsvik,
      Norway"); a compass word and a GPE of the article are a GPE ("Northern Norway");
    - a name span without a capital letter or digit is not a name ("pan-democrats"), and
      neither is a sentence's first word(s) that the article also writes in lowercase
      ("Rainfall totals …" when "rainfall" appears).
    """
    ents = _the_inside(tok, ents, rules)
    ents = _organisations(tok, ents, rules)
    ents = _persons(tok, ents, rules)
    ents = _events_and_awards(tok, ents, rules)
    ents = _places(tok, ents, rules)
    return _common_words(tok, ents)


def _the_inside(tok: Tokens, ents: list[Ent], rules: EntityRules) -> list[Ent]:
    lowercase_the = {
        tuple(tok.text[s:e]) for s, e, _ in ents if s >= 1 and tok.text[s - 1] == "the"
    }
    n = len(tok)
    out = []
    for s, e, label in ents:
        if (
            label in THE_INSIDE
            and s >= 1
            and tok.text[s - 1] == "The"
            and tuple(tok.text[s:e]) not in lowercase_the
        ):
            the = s - 1
            quoted = the >= 1 and tok.is_quote[the - 1] and e < n and tok.is_quote[e]
            publication = label == "ORG" and tok.lower[e - 1] in rules.publication_heads
            if not tok.sentence_initial(the) or quoted or publication:
                s = the
        out.append((s, e, label))
    return out


def _organisations(tok: Tokens, ents: list[Ent], rules: EntityRules) -> list[Ent]:
    n = len(tok)
    ents = sorted(ents)
    owner = {i: (s, e, lab) for s, e, lab in ents for i in range(s, e)}
    absorbed: set[Ent] = set()
    out: list[Ent] = []
    for s, e, label in ents:
        if (s, e, label) in absorbed:
            continue
        if (
            label == "ORG"
            and tok.lower[e - 1] in rules.organisation_heads
            and e < n
            and tok.lower[e] in rules.organisation_connectors
        ):
            j = e + 1
            if j < n and tok.lower[j] == "the":
                j += 1
            k = j
            while (
                k < n
                and not tok.sent_start[k]
                and (
                    tok.capital(k)
                    or (tok.lower[k] in ORG_INNER and k + 1 < n and tok.capital(k + 1))
                )
            ):
                k += 1
            while k > j and not tok.capital(k - 1):
                k -= 1
            if k > j:
                for i in range(e, k):
                    if i in owner:
                        other = owner[i]
                        k = max(k, other[1])
                        absorbed.add(other)
                out.append((s, k, "ORG"))
                continue
        if (
            label == "ORG"
            and e - s >= 3
            and tok.lower[s] in rules.organisation_heads
            and tok.lower[s + 1] in rules.organisation_connectors
        ):
            while (
                s >= 1
                and s - 1 not in owner
                and tok.title(s - 1)
                and tok.alpha(s - 1)
                and tok.space[s - 1]
                and tok.lower[s - 1] not in DETERMINERS
            ):
                s -= 1
                if tok.sentence_initial(s):
                    break
        out.append((s, e, label))
    return [x for x in out if x not in absorbed]


def _persons(tok: Tokens, ents: list[Ent], rules: EntityRules) -> list[Ent]:
    n = len(tok)
    ents = sorted(ents)
    merged: list[Ent] = []
    for s, e, label in ents:
        if merged:
            ps, pe, pl = merged[-1]
            if (
                s == pe
                and pe - ps == 1
                and e - s == 1
                and tok.space[ps]
                and pl in PLACE_LIKE
                and label in PLACE_LIKE
                and tok.title(ps)
                and tok.title(s)
                and tok.alpha(ps)
                and tok.alpha(s)
            ):
                merged[-1] = (ps, e, "PERSON")
                continue
        merged.append((s, e, label))
    taken = covered(merged)
    out = []
    for s, e, label in merged:
        if label == "PERSON" and e - s == 1:
            if (
                e < n
                and tok.space[s]
                and e not in taken
                and tok.title(e)
                and tok.alpha(e)
                and tok.lower[e] not in rules.titles
                and tok.lower[e] not in rules.organisation_heads
                and tok.lower[e] not in tok.lowercase_words()
                and not tok.sent_start[e]
            ):
                e += 1
            elif (
                s >= 1
                and tok.space[s - 1]
                and s - 1 not in taken
                and tok.title(s - 1)
                and tok.alpha(s - 1)
                and tok.lower[s - 1] not in rules.titles
                and not tok.sentence_initial(s - 1)
                and not tok.is_stop[s - 1]
                and tok.propn(s - 1)
                and tok.lower[s - 1] not in tok.lowercase_words()
            ):
                s -= 1
        if (
            label == "PERSON"
            and e - s >= 2
            and e + 1 < n
            and tok.text[e] == "-"
            and not tok.space[e - 1]
            and not tok.space[e]
            and tok.alpha(e + 1)
            and tok.is_lower(e + 1)
            and e + 1 not in taken
        ):
            e += 2
        out.append((s, e, label))
    return out


def _events_and_awards(tok: Tokens, ents: list[Ent], rules: EntityRules) -> list[Ent]:
    n = len(tok)
    out = list(ents)
    for i in tok.where_lower(rules.tournament_groups):
        if (
            i + 1 < n
            and tok.capital(i)
            and len(tok.text[i + 1]) == 1
            and "A" <= tok.text[i + 1] <= "L"
        ):
            out = [x for x in out if x[1] <= i or x[0] >= i + 2] + [(i, i + 2, "EVENT")]
    for i in tok.where_lower(rules.award_heads):
        if i < 1 or not tok.is_lower(i):
            continue
        j = i
        while (
            j >= 1
            and not tok.is_space[j - 1]
            and (tok.title(j - 1) or tok.lower[j - 1] in AWARD_CONNECTORS)
        ):
            j -= 1
            if tok.sentence_initial(j):
                break
        while j < i and tok.lower[j] in AWARD_CONNECTORS:
            j += 1
        if i - j >= 2:
            out = [x for x in out if x[1] <= j or x[0] >= i] + [(j, i, "WORK_OF_ART")]
    return out


def _places(tok: Tokens, ents: list[Ent], rules: EntityRules) -> list[Ent]:
    n = len(tok)
    ents = sorted(ents)
    gpe_names = {tuple(tok.text[s:e]) for s, e, lab in ents if lab == "GPE"}
    out = list(ents)
    for k, (s, e, label) in enumerate(ents):
        if label == "LOC" and e - s >= 2:
            rest: tuple[str, ...] | None = None
            if tok.lower[s] in rules.compass_words:
                rest = tuple(tok.text[s + 1 : e])
            elif tok.lower[e - 1] in rules.compass_words:
                rest = tuple(tok.text[s : e - 1])
            if rest and rest in gpe_names:
                out[k] = (s, e, "GPE")
                continue
        if label not in {"PERSON", "ORG", "LOC", "NORP", "FAC"} or e - s > 2:
            continue
        nxt = ents[k + 1] if k + 1 < len(ents) else None
        if nxt is not None and nxt[2] == "GPE" and nxt[0] == e + 1 and tok.text[e] == ",":
            after = nxt[1]
            if after >= n or tok.text[after] in {",", ".", ";", ")"} or tok.is_space[after]:
                out[k] = (s, e, "GPE")
                continue
        prv = ents[k - 1] if k >= 1 else None
        ends = e >= n or tok.text[e] in {",", ".", ";"} or tok.is_space[e] or tok.lower[e] == "and"
        if (
            prv is not None
            and prv[2] == "GPE"
            and prv[1] == s - 1
            and tok.text[s - 1] == ","
            and ends
            and prv[0] >= 1
            and tok.lower[prv[0] - 1] in {"in", "at", "from", "of", "near", "to", ","}
        ):
            out[k] = (s, e, "GPE")
    return out


def _common_words(tok: Tokens, ents: list[Ent]) -> list[Ent]:
    lower_words = tok.lowercase_words()
    out = []
    for s, e, label in ents:
        if label in NAME_LABELS:
            text = "".join(tok.text[s:e])
            if not any(c.isupper() or c.isdigit() for c in text):
                continue
            if (
                e - s <= 3
                and tok.title(s)
                and tok.line_or_sentence_start(s)
                and all(tok.lower[i] in lower_words for i in range(s, e) if not tok.is_punct[i])
            ):
                continue
        out.append((s, e, label))
    return out
