"""The source table of a corpus: one row per source, and the share of voice.

:func:`build_source_table` reads records (the ``extract`` contract) one at a time, keeps each
document's speakers (:mod:`.documents`: counts, kind, referenced gender and its evidence —
not the text), merges them across documents (:mod:`.merge`) and counts:

- per source: quotes (direct / indirect / mixed), documents, first and last document (by date
  when the records have one, else in input order), stance counts per target, the name forms
  merged and why, the kind and the referenced gender with their evidence;
- share of voice: quotes and distinct sources by kind, by referenced gender (all sources, and
  named people alone), by stance per target, over time (``date_field``), and by the value of
  any record field (``by``).

*Distinct sources*: a named source counts once in the corpus; an unnamed one (``a
spokesman``, ``officials``) once per document, since the same description in two articles is
rarely the same person.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from newspipe.pipeline.errors import PipelineError
from newspipe.pipeline.sources.documents import (
    KINDS,
    PEOPLE,
    QUOTE_TYPES,
    STANCE_LABELS,
    DocumentSources,
    DocumentSpeaker,
    document_sources,
)
from newspipe.pipeline.sources.merge import MergeNote, SourceCluster, merge_speakers
from newspipe.pipeline.sources.names import name_key
from newspipe.pipeline.sources.words import SourceWords, source_words

GENDER_VALUES = ("female", "male", "nonbinary", "unknown")
PERIODS = ("auto", "day", "week", "month", "year")
EXAMPLES = 5
"""Evidence shown in context per source."""


# --------------------------------------------------------------------------- dates


def parse_date(value: Any) -> dt.date | None:
    """A date from an ISO-like value (``2016-09-12``, ``2016-09-12T08:00:00Z``, ``2016-09``,
    ``2016``, ``2016/09/12``) or a date/datetime object; None when it is none of those."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip().replace("/", "-")
    try:
        if len(text) >= 10:
            return dt.date.fromisoformat(text[:10])
        if len(text) == 7:
            return dt.date.fromisoformat(text + "-01")
        if len(text) == 4 and text.isdigit():
            return dt.date(int(text), 1, 1)
    except ValueError:
        return None
    return None


def choose_period(dates: Iterable[dt.date]) -> str:
    """``day`` for a month of documents or less, ``week`` up to half a year, ``month`` up to
    five years, else ``year``."""
    dates = list(dates)
    if not dates:
        return "month"
    span = (max(dates) - min(dates)).days
    return "day" if span <= 31 else "week" if span <= 183 else "month" if span <= 1830 else "year"


def period_of(date: dt.date, period: str) -> str:
    """The label of the period holding ``date``: ``2016-09-12``, ``2016-W37``, ``2016-09``,
    ``2016``."""
    if period == "day":
        return date.isoformat()
    if period == "week":
        year, week, _ = date.isocalendar()
        return f"{year}-W{week:02d}"
    if period == "month":
        return f"{date.year}-{date.month:02d}"
    return str(date.year)


# --------------------------------------------------------------------------- rows


@dataclass
class _Document:
    id: str
    index: int
    date: dt.date | None
    group: str | None


@dataclass
class SourceRow:
    """One source (in one group, with ``by``)."""

    name: str
    kind: str
    gender: str
    gender_reason: str
    group: str | None = None
    types: Counter[str] = field(default_factory=Counter)
    documents: set[str] = field(default_factory=set)
    first: tuple[Any, ...] | None = None
    last: tuple[Any, ...] | None = None
    stance: dict[str, Counter[str]] = field(default_factory=dict)
    names: Counter[str] = field(default_factory=Counter)
    merged: list[MergeNote] = field(default_factory=list)
    kind_reasons: Counter[str] = field(default_factory=Counter)
    genders_by_document: Counter[str] = field(default_factory=Counter)
    evidence: Counter[tuple[str, str, str, str]] = field(default_factory=Counter)
    examples: list[dict[str, Any]] = field(default_factory=list)

    @property
    def quotes(self) -> int:
        return sum(self.types.values())

    def add(self, member: DocumentSpeaker, document: _Document) -> None:
        self.types.update(member.types)
        self.documents.add(member.doc_id)
        order = (document.date or dt.date.min, document.index, document.id)
        if self.first is None or order < self.first[:3]:
            self.first = (*order, document.date)
        if self.last is None or order > self.last[:3]:
            self.last = (*order, document.date)
        for target, labels in member.stances.items():
            self.stance.setdefault(target, Counter()).update(labels)
        self.names[member.name] += 1
        self.kind_reasons[f"{member.kind}: {member.kind_reason}"] += 1
        self.genders_by_document[member.gender] += 1
        for evidence in member.evidence:
            what = "context" if not evidence.direct else "direct"
            key = (evidence.gender, evidence.cue, evidence.word.lower(), f"{evidence.how}, {what}")
            self.evidence[key] += 1
            if len(self.examples) < EXAMPLES:
                self.examples.append(
                    {
                        "document": member.doc_id,
                        "gender": evidence.gender,
                        "cue": evidence.cue,
                        "word": evidence.word,
                        "how": evidence.how,
                        "start": evidence.start,
                        "context": evidence.context,
                    }
                )

    def stance_totals(self) -> Counter[str]:
        totals: Counter[str] = Counter()
        for labels in self.stance.values():
            totals.update(labels)
        return totals

    def evidence_summary(self) -> str:
        """``he ×3 (pronoun), Mr ×1 (honorific)`` — the gender evidence in a few words."""
        words: Counter[tuple[str, str]] = Counter()
        for (_, cue, word, _), count in self.evidence.items():
            words[(word, cue)] += count
        return ", ".join(f"{w} ×{n} ({cue})" for (w, cue), n in words.most_common())

    def to_json(self) -> dict[str, Any]:
        """The row as a JSON object (the ``.jsonl`` output)."""
        first, last = self.first or (), self.last or ()
        row: dict[str, Any] = {} if self.group is None else {"group": self.group}
        row |= {
            "name": self.name,
            "kind": self.kind,
            "gender": self.gender,
            "quotes": self.quotes,
            **{t: self.types[t] for t in QUOTE_TYPES},
            "documents": len(self.documents),
            "first_document": first[2] if first else None,
            "last_document": last[2] if last else None,
            "first_date": first[3].isoformat() if first and first[3] else None,
            "last_date": last[3].isoformat() if last and last[3] else None,
            "stance": {
                target: {label: labels[label] for label in STANCE_LABELS if labels[label]}
                for target, labels in sorted(self.stance.items())
            },
            "names": dict(self.names.most_common()),
            "merged": [
                {"name": n.name, "rule": n.rule, "documents": n.documents} for n in self.merged
            ],
            "kind_reasons": dict(self.kind_reasons.most_common()),
            "gender_reason": self.gender_reason,
            "genders_by_document": dict(self.genders_by_document.most_common()),
            "gender_evidence": [
                {"gender": g, "cue": c, "word": w, "how": h, "count": n}
                for (g, c, w, h), n in self.evidence.most_common()
            ],
            "gender_examples": self.examples,
        }
        return row


CSV_COLUMNS = (
    "name",
    "kind",
    "gender",
    "quotes",
    "direct",
    "indirect",
    "mixed",
    "documents",
    "first_document",
    "last_document",
    "first_date",
    "last_date",
    "favor",
    "against",
    "none",
    "stance_by_target",
    "names",
    "merged",
    "kind_reason",
    "gender_reason",
    "gender_evidence",
)


def csv_row(row: SourceRow) -> dict[str, Any]:
    """The row as CSV cells (one value per cell; the stance per target as JSON)."""
    import json

    data = row.to_json()
    totals = row.stance_totals()
    cells = {k: data[k] for k in CSV_COLUMNS if k in data}
    cells |= {
        "favor": totals["FAVOR"],
        "against": totals["AGAINST"],
        "none": totals["NONE"],
        "stance_by_target": json.dumps(data["stance"], ensure_ascii=False)
        if data["stance"]
        else "",
        "names": "; ".join(f"{n} ({d})" for n, d in data["names"].items()),
        "merged": "; ".join(f"{m['name']}: {m['rule']}" for m in data["merged"]),
        "kind_reason": row.kind_reasons.most_common(1)[0][0].split(": ", 1)[1],
        "gender_evidence": row.evidence_summary(),
    }
    if row.group is not None:
        cells = {"group": row.group, **cells}
    return cells


# --------------------------------------------------------------------------- the table


@dataclass
class SourceTable:
    """A corpus's sources, how they were merged, and the share of voice."""

    rows: list[SourceRow]
    notes: list[MergeNote]
    summary: dict[str, Any]
    settings: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {
            "settings": self.settings,
            "summary": self.summary,
            "sources": [row.to_json() for row in self.rows],
            "merges": [
                {
                    "name": n.name,
                    "source": n.source,
                    "rule": n.rule,
                    "documents": n.documents,
                    "joined": n.joined,
                }
                for n in self.notes
            ],
        }


class _Tally:
    """Quotes and distinct sources under keys."""

    def __init__(self) -> None:
        self.quotes: Counter[Hashable] = Counter()
        self.units: dict[Hashable, set[Hashable]] = {}

    def add(self, key: Hashable, quotes: int, unit: Hashable) -> None:
        self.quotes[key] += quotes
        self.units.setdefault(key, set()).add(unit)

    def table(self, keys: Iterable[Hashable]) -> dict[str, dict[str, int]]:
        return {
            str(k): {"quotes": self.quotes[k], "sources": len(self.units.get(k, ()))} for k in keys
        }


def _cluster_gender(cluster: SourceCluster, kind: str) -> tuple[str, str]:
    """A source's referenced gender from its documents' decisions: the gender most
    documents give (a tie is unknown); unknown for organisations, governments, groups and
    plural unnamed sources."""
    if kind not in PEOPLE:
        return "unknown", f"a source of kind {kind}"
    if kind == "unnamed" and sum(m.plural for m in cluster.members) * 2 >= len(cluster.members):
        return "unknown", "a plural source"
    said = Counter(m.gender for m in cluster.members if m.gender != "unknown")
    if not said:
        return "unknown", "no pronoun, honorific or gendered noun in any document"
    ranked = said.most_common()
    shown = ", ".join(f"{g} in {n}" for g, n in ranked)
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        return "unknown", f"documents disagree ({shown})"
    return ranked[0][0], f"{shown} document(s)"


def corpus_kinds(found: Iterable[DocumentSources]) -> dict[str, tuple[str, str]]:
    """The kind of each name that documents disagree on: the kind most documents give it
    (named entity labels are noisy: a person is ORG in some paragraphs); a tie decides
    nothing. By :func:`name_key`."""
    votes: dict[str, Counter[str]] = {}
    for sources in found:
        for speaker in sources.speakers:
            votes.setdefault(name_key(speaker.name), Counter())[speaker.kind] += 1
    decided = {}
    for key, kinds in votes.items():
        ranked = kinds.most_common()
        if len(ranked) > 1 and ranked[0][1] > ranked[1][1]:
            total = sum(kinds.values())
            decided[key] = (ranked[0][0], f"{ranked[0][0]} in {ranked[0][1]} of {total} documents")
    return decided


def _cluster_kind(cluster: SourceCluster) -> str:
    if cluster.person:
        return "person"
    kinds: Counter[str] = Counter()
    for member in cluster.members:
        kinds[member.kind] += member.quotes
    return max(kinds, key=lambda k: (kinds[k], -KINDS.index(k)))


RecordStream = Callable[[], Iterable[Mapping[str, Any]]]
"""A function that returns the records afresh each time it is called (a reader of files)."""


def build_source_table(
    records: Iterable[Mapping[str, Any]] | RecordStream,
    *,
    merge: bool = True,
    by: str | None = None,
    date_field: str | None = None,
    period: str = "auto",
    meta: Mapping[str, Mapping[str, Any]] | None = None,
    min_confidence: float | None = None,
    words: SourceWords | None = None,
    on_undated: Callable[[str, Any], None] | None = None,
    on_record: Callable[[int, int], None] | None = None,
) -> SourceTable:
    """The source table of a corpus.

    Records are read one at a time and only each document's speakers are kept (not its
    text). Entity labels are noisy, so a name's kind is then decided over the corpus
    (:func:`corpus_kinds`), and the few documents that disagree with it are analysed again:
    given a :data:`RecordStream`, the records are read a second time for those; given a
    sequence, they are indexed; any other iterable is first made a list.

    Args:
        records: Records of the ``extract`` contract, in corpus order (ids unique), or a
            function returning them afresh (read twice, kept in memory never).
        merge: Merge forms of one name across documents (False: names written alike only).
        by: A record field (or ``meta`` field) whose value splits the table into groups.
        date_field: A record (or ``meta``) field holding the document's date.
        period: Time step of the timeline: ``auto``, ``day``, ``week``, ``month``, ``year``.
        meta: More fields per document id (the corpus's own metadata), read for ``by`` and
            ``date_field`` when the record lacks them.
        min_confidence: Leave out quotes with a lower ``confidence`` (quotes without one stay).
        words: The word lists.
        on_undated: Called with (id, value) for a document whose date field is missing or
            not a date.
        on_record: Called with the pass (1, or 2 for the documents analysed again) and the
            number of records read so far in it (progress).
    """
    words = words or source_words()
    if callable(records):
        stream: RecordStream = records
    else:
        kept = records if isinstance(records, Sequence) else list(records)
        stream = lambda: kept  # noqa: E731
    documents: dict[str, _Document] = {}
    found: list[DocumentSources] = []
    for index, record in enumerate(stream()):
        doc_id = str(record["id"])
        extra = meta.get(doc_id, {}) if meta is not None else {}
        date = None
        if date_field is not None:
            value = record.get(date_field, extra.get(date_field))
            date = parse_date(value)
            if date is None and on_undated is not None:
                on_undated(doc_id, value)
        group = None
        if by is not None:
            value = record.get(by, extra.get(by))
            group = "(none)" if value is None else str(value)
        documents[doc_id] = _Document(doc_id, index, date, group)
        found.append(document_sources(record, words, min_confidence))
        if on_record is not None:
            on_record(1, index + 1)
    decided = corpus_kinds(found)
    again = {
        i
        for i, sources in enumerate(found)
        if any(decided.get(name_key(sp.name), (sp.kind,))[0] != sp.kind for sp in sources.speakers)
    }
    if again:
        done = 0
        for i, record in enumerate(stream()):
            if i in again:
                if str(record["id"]) != found[i].doc_id:
                    raise PipelineError("the records changed while they were read twice")
                found[i] = document_sources(record, words, min_confidence, decided)
                done += 1
                if on_record is not None:
                    on_record(2, done)
    speakers = [sp for sources in found for sp in sources.speakers]
    quotes = sum(f.quotes for f in found)
    unattributed = sum(f.unattributed for f in found)
    unresolved: Counter[str] = Counter()
    for sources in found:
        unresolved.update(sources.unresolved)
    clusters, notes = merge_speakers(speakers, merge, words)
    if period == "auto":
        period = choose_period(d.date for d in documents.values() if d.date is not None)

    rows: dict[tuple[int, str | None], SourceRow] = {}
    by_kind, by_gender, people, by_stance = _Tally(), _Tally(), _Tally(), _Tally()
    timeline, groups, all_units = _Tally(), _Tally(), _Tally()
    timeline_documents: dict[str, set[str]] = {}
    for c, cluster in enumerate(clusters):
        kind = _cluster_kind(cluster)
        gender, reason = _cluster_gender(cluster, kind)
        name = cluster.name
        for member in cluster.members:
            document = documents[member.doc_id]
            row = rows.get((c, document.group))
            if row is None:
                row = rows[(c, document.group)] = SourceRow(
                    name, kind, gender, reason, document.group, merged=cluster.joined
                )
            row.add(member, document)
            unit = (c, member.doc_id) if kind == "unnamed" else c
            n = member.quotes
            all_units.add("all", n, unit)
            by_kind.add(kind, n, unit)
            by_gender.add(gender, n, unit)
            if kind == "person":
                people.add(gender, n, unit)
            for target, labels in member.stances.items():
                for label, count in labels.items():
                    by_stance.add((target, label, "all"), count, unit)
                    by_stance.add((target, label, gender), count, unit)
                    by_stance.add((target, label, kind), count, unit)
            if document.date is not None:
                when = period_of(document.date, period)
                timeline.add((when, "all"), n, unit)
                timeline.add((when, gender), n, unit)
                timeline.add((when, kind), n, unit)
            if document.group is not None:
                groups.add((document.group, "all"), n, unit)
                groups.add((document.group, gender), n, unit)
                groups.add((document.group, kind), n, unit)
    for document in documents.values():
        if document.date is not None:
            timeline_documents.setdefault(period_of(document.date, period), set()).add(document.id)

    ordered = sorted(rows.values(), key=lambda r: (r.group or "", -r.quotes, r.name))
    summary: dict[str, Any] = {
        "documents": len(documents),
        "quotes": quotes,
        "attributed_quotes": quotes - unattributed - sum(unresolved.values()),
        "unattributed_quotes": unattributed,
        "unresolved_quotes": {
            "quotes": sum(unresolved.values()),
            "by_pronoun": dict(unresolved.most_common()),
            "by_gender": {
                g: sum(n for p, n in unresolved.items() if words.pronouns.get(p) == g)
                for g in ("female", "male")
            },
        },
        "sources": len(all_units.units.get("all", ())),
        "rows": len(ordered),
        "by_kind": by_kind.table(KINDS),
        "by_gender": by_gender.table(GENDER_VALUES),
        "people_by_gender": people.table(GENDER_VALUES),
        "by_target": _by_target(by_stance),
    }
    if date_field is not None:
        dated = sum(d.date is not None for d in documents.values())
        summary["timeline"] = {
            "field": date_field,
            "period": period,
            "dated_documents": dated,
            "undated_documents": len(documents) - dated,
            "periods": [
                {
                    "period": when,
                    "documents": len(timeline_documents[when]),
                    **timeline.table([(when, "all")])[str((when, "all"))],
                    "by_gender": _split(timeline, when, GENDER_VALUES),
                    "by_kind": _split(timeline, when, KINDS),
                }
                for when in sorted(timeline_documents)
            ],
        }
    if by is not None:
        values = sorted({d.group for d in documents.values() if d.group is not None})
        summary["by_group"] = {
            "field": by,
            "groups": {
                value: {
                    "documents": sum(d.group == value for d in documents.values()),
                    **groups.table([(value, "all")])[str((value, "all"))],
                    "by_gender": _split(groups, value, GENDER_VALUES),
                    "by_kind": _split(groups, value, KINDS),
                }
                for value in values
            },
        }
    settings = {
        "merge": merge,
        "by": by,
        "date_field": date_field,
        "period": period if date_field is not None else None,
        "min_confidence": min_confidence,
    }
    return SourceTable(ordered, notes, summary, settings)


def _split(tally: _Tally, first: str, keys: Iterable[str]) -> dict[str, dict[str, int]]:
    return {k: tally.table([(first, k)])[str((first, k))] for k in keys}


def _by_target(tally: _Tally) -> dict[str, dict[str, Any]]:
    targets = sorted({key[0] for key in tally.quotes})  # type: ignore[index]
    result: dict[str, dict[str, Any]] = {}
    for target in targets:
        result[target] = {}
        for label in STANCE_LABELS:
            key = (target, label, "all")
            result[target][label] = {
                "quotes": tally.quotes[key],
                "sources": len(tally.units.get(key, ())),
                "by_gender": {
                    g: tally.quotes[(target, label, g)]
                    for g in GENDER_VALUES
                    if tally.quotes[(target, label, g)]
                },
                "by_kind": {
                    k: tally.quotes[(target, label, k)]
                    for k in KINDS
                    if tally.quotes[(target, label, k)]
                },
            }
    return result
