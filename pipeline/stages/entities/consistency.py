"""Document-level consistency: one label per name within a document.

A news article names a person, organisation or place in full once and then by a shorter form
("Laura Okafor" … "Okafor"; "Halden Port Authority" … "HPA"), and the statistical model labels
each mention on its own, so the same name can come out PERSON in one sentence and ORG or GPE in
the next, or not at all. This correction makes one decision per name and document:

1. **Votes.** Every mention the model (and the corrections before this one) labelled is a
   vote for its label, per exact name (its tokens).
2. **Context that overrides the votes.** The last word of a person's full name is that
   person ("Laura Okafor" → "Okafor" is PERSON), unless the full name starts with another
   person's surname or with a name voted for another label ("Berg Kamera" is not a full
   name); the initials of an organisation's name of three or more capitalised words are that
   organisation ("Halden Port Authority" → "HPA" is ORG); names that a patterns file labels
   keep that label.
3. **Decision.** An overriding label, else the label of more than half of the votes; with no
   majority the mentions keep their own labels.
4. **Relabel and propagate.** Every mention of a decided name takes the decided label, and
   unlabelled occurrences of the name (capitalised, whole words, not part of a longer name,
   not a word the article also writes in lowercase) become mentions too.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping

from newspipe.pipeline.stages.entities.rules import EntityRules
from newspipe.pipeline.stages.entities.tokens import NAME_LABELS, Ent, Tokens, covered

Key = tuple[str, ...]
PROPAGATED = frozenset({"PERSON", "ORG", "GPE", "FAC", "LOC", "EVENT", "PRODUCT", "WORK_OF_ART",
                        "LAW", "LANGUAGE"})  # fmt: skip
PLACES_AND_BODIES = frozenset({"GPE", "LOC", "FAC", "ORG", "NORP"})
NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
INITIALS_SKIP = frozenset({"of", "and", "for", "the", "&"})


def _last_word(tok: Tokens, start: int, end: int) -> int:
    """Start of the span's last whitespace-separated word ("Cheuk-ting" is one word)."""
    i = end - 1
    while i > start and not tok.space[i - 1]:
        i -= 1
    return i


def _first_word_end(tok: Tokens, start: int, end: int) -> int:
    i = start
    while i < end - 1 and not tok.space[i]:
        i += 1
    return i + 1


def surname_votes(
    tok: Tokens, names: list[Ent], votes: Mapping[Key, Counter[str]]
) -> dict[Key, str]:
    """The last words of people's full names → PERSON."""
    persons = [(s, e) for s, e, lab in names if lab == "PERSON" and e - s >= 2]
    place_words = {  # "Ireland" of "Northern Ireland": a word of another kind of name is no surname
        tuple(tok.text[_last_word(tok, s, e) : e])
        for s, e, lab in names
        if lab in PLACES_AND_BODIES and e - s >= 2
    }
    lasts = {(s, e): _last_word(tok, s, e) for s, e in persons}
    surnames = {tuple(tok.text[i:e]) for (s, e), i in lasts.items() if i > s}
    forced: dict[Key, str] = {}
    for s, e in persons:
        i = lasts[(s, e)]
        if i <= s:
            continue
        last = tuple(tok.text[i:e])
        first = tuple(tok.text[s : _first_word_end(tok, s, e)])
        written_as_names = all(
            tok.capital(j) and not tok.text[j].isupper()
            for j in range(s, e)
            if tok.alpha(j) and len(tok.text[j]) > 1
        )
        if (
            not written_as_names
            or any(tok.number(j) for j in range(s, e))
            or len("".join(last)) < 2
            or last[0].lower().rstrip(".") in NAME_SUFFIXES
            or (first in surnames and first != last)
            or last in place_words
        ):
            continue
        first_votes = votes.get(first)
        if first_votes and first_votes.most_common(1)[0][0] != "PERSON":
            continue
        forced.setdefault(last, "PERSON")
    return forced


def initials_votes(
    tok: Tokens, names: list[Ent], votes: Mapping[Key, Counter[str]]
) -> dict[Key, str]:
    """The initials of organisations' names → ORG."""
    forced: dict[Key, str] = {}
    for s, e, label in names:
        if label != "ORG":
            continue
        capitals = [
            tok.text[i][0]
            for i in range(s, e)
            if tok.capital(i) and tok.lower[i] not in INITIALS_SKIP
        ]
        if len(capitals) >= 3:
            key = ("".join(capitals),)
            own = votes.get(key)
            if not (own and own.most_common(1)[0][0] in {"GPE", "NORP"}):
                forced.setdefault(key, "ORG")
    return forced


def consistency(
    tok: Tokens,
    ents: list[Ent],
    rules: EntityRules,
    fixed: Mapping[Key, str] | None = None,
    *,
    propagate: bool = True,
) -> list[Ent]:
    """One label per name in the document (see the module docstring)."""
    names = [x for x in ents if x[2] in NAME_LABELS]
    votes: dict[Key, Counter[str]] = defaultdict(Counter)
    for s, e, label in names:
        votes[tuple(tok.text[s:e])][label] += 1
    forced: dict[Key, str] = dict(fixed or {})
    for key, label in surname_votes(tok, names, votes).items():
        forced.setdefault(key, label)
    for key, label in initials_votes(tok, names, votes).items():
        forced.setdefault(key, label)
    decided: dict[Key, str] = dict(forced)
    for key, counter in votes.items():
        if key in decided:
            continue
        label, count = counter.most_common(1)[0]
        if 2 * count > sum(counter.values()):
            decided[key] = label
    out = [
        (s, e, decided.get(tuple(tok.text[s:e]), label) if label in NAME_LABELS else label)
        for s, e, label in ents
    ]
    if propagate:
        out += _unlabelled_mentions(tok, out, decided, forced, rules)
    return out


def _unlabelled_mentions(
    tok: Tokens,
    ents: list[Ent],
    decided: Mapping[Key, str],
    forced: Mapping[Key, str],
    rules: EntityRules,
) -> list[Ent]:
    n = len(tok)
    lower_words = tok.lowercase_words()
    by_first: dict[str, list[tuple[Key, str]]] = defaultdict(list)
    for key, label in decided.items():
        if not key[0][:1].isupper():
            continue
        if len(key) == 1 and (key[0].lower() in lower_words or tok.doc.vocab[key[0]].is_stop):
            continue
        if label not in PROPAGATED and key not in forced:
            continue
        by_first[key[0]].append((key, label))
    for options in by_first.values():
        options.sort(key=lambda kl: -len(kl[0]))
    taken = covered(ents)
    found: list[Ent] = []
    starts = sorted(i for first in by_first for i in tok.where(first))
    for i in starts:
        if i in taken:
            continue
        for key, label in by_first[tok.text[i]]:
            end = i + len(key)
            if tuple(tok.text[i:end]) != key or taken.intersection(range(i, end)):
                continue
            if end < n and (
                (tok.capital(end) and tok.alpha(end))
                or tok.lower[end] in rules.title_heads
                or (tok.text[end] == "-" and end + 1 < n and not tok.is_lower(end + 1))
            ):
                continue
            if (
                i >= 1
                and tok.capital(i - 1)
                and tok.alpha(i - 1)
                and tok.lower[i - 1].rstrip(".") not in rules.titles
                and not tok.sentence_initial(i - 1)
            ):
                continue
            found.append((i, end, label))
            taken.update(range(i, end))
            break
    return found
