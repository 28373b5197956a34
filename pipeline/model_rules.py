"""Array versions of the model's two rule components, with the same output: ``[nlp] fast_rules``.

spaCy's English pipelines map tags to part of speech and morphology with an
:class:`~spacy.pipeline.AttributeRuler` (a ``Matcher`` over every token, then one Python call
per match, which is nearly every token) and find lemmas with a rule
:class:`~spacy.pipeline.Lemmatizer` (one Python call per token, its cache skipped for base
forms). Together they take about a fifth of the model's time. Both are functions of a few
token values, and a news corpus repeats the same few thousand combinations of them, so
:class:`ArrayAttributeRuler` and :class:`ArrayLemmatizer` compute each combination once,
with spaCy's own code, and write the results of a whole Doc in one ``Doc.from_array``:

- attribute ruler: a pattern of one token that tests only the token's text, lexical flags,
  tag, part of speech, morphology, lemma or dependency label and sets only tag, part of speech,
  morphology or lemma matches a token whatever its neighbours are, and its result is a function
  of those values. Each new combination is matched and set on a copy of the token (a probe
  Doc); the tokens of a Doc take the results from a table, looked up once per distinct
  combination in the Doc. A pattern of fixed length that needs a given word is matched only
  around that word, and only where the Doc's arrays meet its plain conditions (a word, tag or
  dependency label, or a list of them, at each position); any other pattern (operators, other
  attributes) runs over the whole Doc as spaCy runs it. A token that one of these patterns
  matches, or a one-token pattern that sets another value (a dependency label), is set token by
  token in spaCy's order (by pattern, the later winning).
- lemmatizer: the lemma of a token is a function of its text, part of speech and morphology
  (``Lemmatizer.rule_lemmatize``'s own cache key). A token that has a lemma keeps it unless
  ``overwrite``.

The tables are bounded (:data:`MAX_TABLE`) and forget what they learned inside an
``nlp.memory_zone()`` when it ends (the zone frees the strings it added).

Only spaCy's own classes are replaced (a subclass may read more of a token). A saved pipeline
names the factories below and stores the same patterns and lookups as spaCy's components.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy
from spacy.attrs import DEP, HEAD, IDS, LEMMA, LOWER, MORPH, ORTH, POS, TAG
from spacy.errors import Errors
from spacy.lang.en.lemmatizer import EnglishLemmatizer
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler, Lemmatizer
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs

ATTRIBUTE_RULER = "newspipe_attribute_ruler_v1"
LEMMATIZER = "newspipe_lemmatizer_v1"

KEY_ATTRS = [ORTH, TAG, POS, MORPH, LEMMA, DEP]
"""The token values a one-token pattern may test (besides lexical ones, which follow ORTH)."""
SET_ATTRS = [TAG, POS, MORPH, LEMMA]
"""The token values the array path writes."""
TOKEN_CONDITIONS = frozenset({"TAG", "POS", "MORPH", "LEMMA", "DEP"})
LEXICAL_CONDITIONS = frozenset(
    {"ORTH", "TEXT", "LOWER", "LENGTH", "SHAPE", "PREFIX", "SUFFIX", "LANG"}
    | {name for name in IDS if name.startswith(("IS_", "LIKE_"))}
) - {"IS_SENT_START"}
"""Pattern keys whose value is the token's lexeme's: a function of its text."""
WRITABLE = frozenset(IDS[name] for name in ("TAG", "POS", "MORPH", "LEMMA"))
MAX_TABLE = 50_000
"""Combinations of token values kept (about 1 KB each with their keys and strings); the table
starts afresh when it is full, which bounds its memory over any corpus (5,000 short news
paragraphs hold about 37,000 combinations for the attribute ruler, 20,000 for the
lemmatizer; most tokens are among the first few thousand)."""


def one_token_pattern(pattern: list[dict[str, Any]]) -> bool:
    """Whether a Matcher pattern matches exactly one token on that token's own values."""
    return len(pattern) == 1 and all(
        key.upper() in TOKEN_CONDITIONS | LEXICAL_CONDITIONS for key in pattern[0]
    )


_MIX = numpy.uint64(0x9E3779B97F4A7C15)  # an odd 64-bit constant (the golden ratio's)


class _Table:
    """Results by combination of token values: bounded (:data:`MAX_TABLE`) and safe across
    memory zones. ``nlp.memory_zone()`` frees the strings added within it when it ends, so an
    entry made inside a zone may name a string that is gone afterwards: such entries are
    forgotten when their zone ends. A marker string added (transient) with the first of them
    tells when: once it is gone from the string store, so is the zone."""

    _markers = itertools.count()

    def __init__(self) -> None:
        self.entries: dict[tuple[int, ...], Any] = {}
        self._zone_keys: list[tuple[int, ...]] = []
        self._marker: str | None = None

    def clear(self) -> None:
        self.entries = {}
        self._zone_keys = []
        self._marker = None

    def missing(self, vocab: Any, keys: list[tuple[int, ...]]) -> list[tuple[int, ...]]:
        """Of ``keys`` (distinct), those without an entry. Forgets the entries of a memory zone
        that has ended first, and empties the table if the new keys would not fit."""
        if self._marker is not None and self._marker not in vocab.strings:
            for key in self._zone_keys:
                self.entries.pop(key, None)
            self._zone_keys, self._marker = [], None
        new = [key for key in keys if key not in self.entries]
        if len(self.entries) + len(new) > MAX_TABLE:
            self.clear()
            new = list(keys)
        return new

    def add(self, vocab: Any, key: tuple[int, ...], value: Any) -> None:
        self.entries[key] = value
        if getattr(vocab, "in_memory_zone", False):
            if self._marker is None:
                self._marker = f"newspipe.model_rules memory zone {next(self._markers)}"
                vocab.strings.add(self._marker)  # transient: freed when the zone ends
            self._zone_keys.append(key)


def _distinct_rows(
    array: numpy.ndarray,
) -> tuple[list[tuple[int, ...]], numpy.ndarray, numpy.ndarray]:
    """The distinct rows of a 2-D uint64 array as tuples, for each row the index of its own,
    and for each distinct row where it first occurs. The rows are told apart by one number
    mixed from their values (a sort of one column, much faster than of rows); the result is
    checked against the rows themselves, and on a collision the rows are sorted whole."""
    mixed = numpy.zeros(len(array), dtype="uint64")
    for column in array.T:
        mixed = (mixed * _MIX) ^ column  # wraps around, as uint64 arithmetic does
    _, first, inverse = numpy.unique(mixed, return_index=True, return_inverse=True)
    inverse = inverse.reshape(-1)
    distinct = array[first]
    if not (distinct[inverse] == array).all():
        distinct, first, inverse = numpy.unique(
            array, axis=0, return_index=True, return_inverse=True
        )
        inverse = inverse.reshape(-1)
    return [tuple(row) for row in distinct.tolist()], inverse, first


Checks = tuple[tuple[int, int, frozenset[int]], ...]
"""Values a pattern needs: (attribute, token offset in the pattern, the values allowed)."""

CHECKABLE = {
    "ORTH": ORTH,
    "TEXT": ORTH,
    "LOWER": LOWER,
    "TAG": TAG,
    "POS": POS,
    "DEP": DEP,
    "LEMMA": LEMMA,
}
"""Pattern keys whose plain value (or ``IN`` list) is checked on a Doc's arrays."""


@dataclass
class _Split:
    """An attribute ruler's patterns by how they are matched."""

    one: Matcher  # one token: matched once per combination of token values (a probe Doc)
    windowed: Matcher  # fixed length with a word to look for: matched around that word
    anchors: list[tuple[int, int, int, numpy.ndarray]]  # (attr, offset, length, word hashes)
    rest: Matcher  # everything else: over the whole Doc, as spaCy does
    checks: list[Checks] = field(default_factory=list)  # of each anchor's pattern
    spots: dict[int, tuple[numpy.ndarray, dict[int, list[tuple[int, int, Checks]]]]] = field(
        default_factory=dict
    )  # the anchors by attribute: all their words, and (offset, length, checks) by word

    def group_anchors(self) -> None:
        """Fill :attr:`spots` from :attr:`anchors` and :attr:`checks`."""
        grouped: dict[int, tuple[numpy.ndarray, dict[int, list[tuple[int, int, Checks]]]]] = {}
        for attr in sorted({attr for attr, *_ in self.anchors}):
            by_word: dict[int, list[tuple[int, int, Checks]]] = {}
            for (a, offset, length, words), checks in zip(self.anchors, self.checks, strict=True):
                if a == attr:
                    for word in words.tolist():
                        by_word.setdefault(word, []).append((offset, length, checks))
            grouped[attr] = (numpy.asarray(sorted(by_word), dtype="uint64"), by_word)
        self.spots = grouped

    def checked_attrs(self) -> list[int]:
        """The attributes the anchors and their checks read."""
        found = {attr for attr, *_ in self.anchors}
        found.update(attr for checks in self.checks for attr, _, _ in checks)
        return sorted(found)


class ArrayAttributeRuler(AttributeRuler):
    """spaCy's attribute ruler, whose one-token patterns are applied from a table of the token
    value combinations seen so far; see the module docstring."""

    def __init__(self, vocab: Any, name: str = "attribute_ruler", **kwargs: Any) -> None:
        super().__init__(vocab, name, **kwargs)
        self._split: _Split | None = None
        # key → (the values it ends with, or None when a pattern sets other values; the
        # patterns that match it)
        self._table = _Table()

    def clear(self) -> None:
        super().clear()
        self._split = None
        self._table.clear()

    def add(self, patterns: Iterable[Any], attrs: dict, index: int = 0) -> None:
        super().add(patterns, attrs, index)
        self._split = None
        self._table.clear()

    def _patterns(self) -> _Split:
        if self._split is None:
            split = _Split(Matcher(self.vocab), Matcher(self.vocab), [], Matcher(self.vocab))
            for number in range(len(self.attrs)):
                key = self.vocab.strings[str(number)]
                patterns = self.matcher.get(key)[1]
                if self.indices[number] in (0, -1) and all(map(one_token_pattern, patterns)):
                    split.one.add(key, patterns)
                    continue
                anchors = [_anchor(self.vocab, pattern) for pattern in patterns]
                if all(anchors):
                    split.windowed.add(key, patterns)
                    split.anchors.extend(a for a in anchors if a)
                    split.checks.extend(_checks(self.vocab, pattern) for pattern in patterns)
                else:
                    split.rest.add(key, patterns)
            split.group_anchors()
            self._split = split
        return self._split

    def __call__(self, doc: Doc) -> Doc:
        return _guarded(self, doc)

    def _apply(self, doc: Doc) -> None:
        if not len(doc):
            return
        split = self._patterns()
        values = doc.to_array(KEY_ATTRS)
        keys, which, _ = _distinct_rows(values)  # which: each token's key
        new = self._table.missing(self.vocab, keys)
        if new:
            self._learn(new, split.one)
        table = self._table.entries
        # A token that a one-token pattern setting other values, or another pattern, sets:
        # spaCy's way, every pattern that matches it in spaCy's order.
        by_token: dict[int, list[tuple[int, int]]] = {}
        for attr_id, match_id, start, end in self._sorted(self._matches(doc, split)):
            index = self.indices[attr_id]
            target = (start if index >= 0 else end) + index
            if not start <= target < end:
                super().set_annotations(doc, [(attr_id, match_id, start, end)])  # spaCy's error
            by_token.setdefault(target, []).append((attr_id, match_id))
        results = [table[key][0] for key in keys]
        by_key = [r or key[1:5] for r, key in zip(results, keys, strict=True)]
        rows = numpy.asarray(by_key, dtype="uint64").reshape(-1, len(SET_ATTRS))[which]
        unset = numpy.asarray([r is None for r in results], dtype=bool)[which]
        for i in numpy.flatnonzero(unset).tolist():  # its patterns are applied below
            by_token.setdefault(i, [])
        for i in by_token:
            rows[i] = values[i, 1:5]  # as it is: its patterns are applied below
        doc.from_array(SET_ATTRS, rows)
        strings = self.vocab.strings
        for i, matched in by_token.items():
            own = [(a, strings[str(a)]) for a in table[keys[which[i]]][1]]
            for attr_id, _ in sorted(own + matched):
                set_token_attrs(doc[i], self.attrs[attr_id])

    def _matches(self, doc: Doc, split: _Split) -> list[tuple[int, int, int]]:
        """The matches of the patterns of more than one token."""
        found = list(split.rest(doc, allow_missing=True)) if len(split.rest) else []
        if not split.anchors:
            return found
        n = len(doc)
        attrs = split.checked_attrs()
        array = doc.to_array(list[int | str](attrs)).reshape(n, len(attrs))
        columns = dict(zip(attrs, array.T, strict=True))
        lists: dict[int, list[int]] = {}  # the columns the checks read, as lists
        windows: list[tuple[int, int]] = []
        for attr, (words, by_word) in split.spots.items():
            column = columns[attr]
            for i in numpy.flatnonzero(numpy.isin(column, words)).tolist():
                for offset, length, checks in by_word[int(column[i])]:
                    start = i - offset
                    if start < 0 or start + length > n:
                        continue
                    for check_attr, k, values in checks:
                        if check_attr not in lists:
                            lists[check_attr] = columns[check_attr].tolist()
                        if lists[check_attr][start + k] not in values:
                            break
                    else:  # the Matcher decides: the checks are only some of its conditions
                        windows.append((start, start + length))
        for start, end in _merged(windows):
            found.extend(
                (key, s + start, e + start)
                for key, s, e in split.windowed(doc[start:end], allow_missing=True)
            )
        return found

    def _sorted(self, matches: Any) -> list[tuple[int, int, int, int]]:
        found = [(int(self.vocab.strings[m]), m, s, e) for m, s, e in matches]
        found.sort()
        return found

    def _learn(self, keys: list[tuple[int, ...]], one: Matcher) -> None:
        """Match and set the one-token patterns on a probe Doc with a token per new key."""
        strings = self.vocab.strings
        probe = Doc(self.vocab, words=[strings[key[0]] for key in keys], spaces=[False] * len(keys))
        columns = numpy.zeros((len(keys), 6), dtype="uint64")
        columns[:, :5] = numpy.asarray([key[1:] for key in keys], dtype="uint64")
        probe.from_array([TAG, POS, MORPH, LEMMA, DEP, HEAD], columns)  # type: ignore[arg-type]
        matched: list[list[int]] = [[] for _ in keys]
        found = one(probe, allow_missing=True) if len(one) else []
        for attr_id, _, start, _ in self._sorted(found):
            matched[start].append(attr_id)
        for i, attr_ids in enumerate(matched):
            for attr_id in attr_ids:
                set_token_attrs(probe[i], self.attrs[attr_id])
        results = probe.to_array(SET_ATTRS).tolist()
        for key, result, attr_ids in zip(keys, results, matched, strict=True):
            writable = all(set(self.attrs[a]) <= WRITABLE for a in attr_ids)
            self._table.add(self.vocab, key, (tuple(result) if writable else None, attr_ids))


def _guarded(component: Any, doc: Doc) -> Doc:
    """``component._apply(doc)`` under the component's error handler, as spaCy's pipes run."""
    error_handler = component.get_error_handler()
    try:
        component._apply(doc)
        return doc
    except Exception as e:
        return error_handler(component.name, component, [doc], e)


def _anchor(
    vocab: Any, pattern: list[dict[str, Any]]
) -> tuple[int, int, int, numpy.ndarray] | None:
    """For a pattern of fixed length (no operators): a token that must be one of a list of
    words, as (attribute, offset, pattern length, word hashes); None for another pattern."""
    if any("OP" in spec for spec in pattern):
        return None
    for attr, offset, values in _checks(vocab, pattern):
        if attr in (ORTH, LOWER):
            return attr, offset, len(pattern), numpy.asarray(sorted(values), dtype="uint64")
    return None


def _checks(vocab: Any, pattern: list[dict[str, Any]]) -> Checks:
    """The plain conditions of a pattern on :data:`CHECKABLE` attributes: a window of a Doc
    that fails one cannot match."""
    checks = []
    for offset, spec in enumerate(pattern):
        for name, value in spec.items():
            attr = CHECKABLE.get(name.upper())
            if attr is None:
                continue
            if isinstance(value, str):
                words = [value]
            elif isinstance(value, dict) and set(value) == {"IN"}:
                words = list(value["IN"])
            else:
                continue
            if words and all(isinstance(word, str) for word in words):
                checks.append((attr, offset, frozenset(vocab.strings[w] for w in words)))
    return tuple(checks)


def _merged(windows: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping or touching token ranges joined."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(windows):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


class ArrayLemmatizer(EnglishLemmatizer):
    """spaCy's lemmatizer (English or not: ``english`` says which ``is_base_form``), looking
    each (text, part of speech, morphology) up once; see the module docstring."""

    english: bool = True

    def __init__(self, *args: Any, english: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.english = english
        self._table = _Table()  # (text, part of speech, morphology) → lemma

    def is_base_form(self, token: Any) -> bool:
        if self.english:
            return super().is_base_form(token)
        return Lemmatizer.is_base_form(self, token)

    def __call__(self, doc: Doc) -> Doc:
        if not self._validated:
            self._validate_tables(Errors.E1004)
        return _guarded(self, doc)

    def _apply(self, doc: Doc) -> None:
        if not len(doc):
            return
        values = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = values[:, 3].copy()
        todo = numpy.arange(len(doc)) if self.overwrite else numpy.flatnonzero(lemmas == 0)
        if len(todo):
            keys, which, first = _distinct_rows(values[todo, :3])
            table = self._table
            new = set(table.missing(self.vocab, keys))
            found = []
            for n, key in enumerate(keys):
                if key in new:
                    text = self.lemmatize(doc[int(todo[first[n]])])[0]
                    table.add(self.vocab, key, self.vocab.strings.add(text))
                found.append(table.entries[key])
            lemmas[todo] = numpy.asarray(found, dtype="uint64")[which]
        column = lemmas.reshape(-1, 1)
        doc.from_array([LEMMA], column)  # type: ignore[arg-type]

    def initialize(self, *args: Any, **kwargs: Any) -> None:
        super().initialize(*args, **kwargs)
        self._table.clear()

    def from_disk(self, *args: Any, **kwargs: Any) -> Any:
        self._table.clear()
        return super().from_disk(*args, **kwargs)

    def from_bytes(self, *args: Any, **kwargs: Any) -> Any:
        self._table.clear()
        return super().from_bytes(*args, **kwargs)


@Language.factory(
    ATTRIBUTE_RULER,
    default_config={"validate": False, "scorer": {"@scorers": "spacy.attribute_ruler_scorer.v1"}},
)
def make_attribute_ruler(
    nlp: Language, name: str, validate: bool, scorer: Any
) -> ArrayAttributeRuler:
    """spaCy's attribute ruler with array output (``[nlp] fast_rules``)."""
    return ArrayAttributeRuler(nlp.vocab, name, validate=validate, scorer=scorer)


@Language.factory(
    LEMMATIZER,
    assigns=["token.lemma"],
    default_config={
        "model": None,
        "mode": "rule",
        "overwrite": False,
        "english": True,
        "scorer": {"@scorers": "spacy.lemmatizer_scorer.v1"},
    },
)
def make_lemmatizer(
    nlp: Language,
    name: str,
    model: Any,
    mode: str,
    overwrite: bool,
    english: bool,
    scorer: Any,
) -> ArrayLemmatizer:
    """spaCy's lemmatizer with array output (``[nlp] fast_rules``)."""
    return ArrayLemmatizer(
        nlp.vocab, model, name, mode=mode, overwrite=overwrite, english=english, scorer=scorer
    )


def use_array_rules(nlp: Language) -> list[str]:
    """Replace the model's attribute ruler and lemmatizer (spaCy's own classes only) by their
    array versions, keeping names, patterns and lookups. Returns the names replaced."""
    replaced = []
    for name in list(nlp.component_names):
        old: Any = nlp.get_pipe(name)
        disabled = name in nlp.disabled
        if type(old) is AttributeRuler:
            patterns = old.patterns
            new: Any = nlp.replace_pipe(name, ATTRIBUTE_RULER, config={"validate": old.validate})
            new.scorer = old.scorer
            new.add_patterns(patterns)
        elif type(old) in (Lemmatizer, EnglishLemmatizer) and old.mode in ("rule", "lookup"):
            new = nlp.replace_pipe(
                name,
                LEMMATIZER,
                config={
                    "mode": old.mode,
                    "overwrite": old.overwrite,
                    "english": type(old) is EnglishLemmatizer,
                },
            )
            new.lookups = old.lookups
            new.scorer = old.scorer
        else:
            continue
        if disabled:
            nlp.disable_pipe(name)
        replaced.append(name)
    return replaced
