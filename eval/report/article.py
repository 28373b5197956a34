"""The article view: what was extracted from an article, on one self-contained HTML page.

For each record: the text with every quote highlighted (its content coloured by stance, its
cue and speaker marked, the speaker, cue, type, stance and the stance's evidence on hover), the
same text with its entities drawn by displaCy, a table of the quotes, and a table of the
speakers (canonical speaker, entity type, quotes, stance counts). Several records make one page
with a document list (:func:`render_articles`) or, for ``newspipe view``, one page per record
and an index (:func:`write_view`).

The building blocks — :func:`quote_pieces`, :func:`quote_rows`, :func:`speaker_rows`,
:func:`entities_markup` and the macros of ``templates/annotated.html.j2`` — are shared with the
score report and work on any records, one article or a corpus.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape
from spacy import displacy

from newspipe.eval.report.pages import render_page
from newspipe.pipeline.files import write_text_atomic
from newspipe.pipeline.records import Record
from newspipe.pipeline.stages import STANCE_LABELS

STANCE_CLASSES: dict[str, str] = dict(
    zip(STANCE_LABELS, ("favor", "against", "none"), strict=True)
)
"""CSS class of each stance label (classes never come from data)."""
NO_STANCE = "nostance"
NO_SPEAKER = "(no speaker)"


def stance_class(stance: str | None) -> str:
    """The CSS class that colours a stance (``nostance`` for None or an unknown label)."""
    return STANCE_CLASSES.get(stance or "", NO_STANCE)


@dataclass(frozen=True)
class Piece:
    """A run of text with the same highlighting: CSS classes, a hover text, and the number
    of the quote that starts here (drawn before the text)."""

    text: str
    classes: str = ""
    title: str = ""
    number: int | None = None


@dataclass(frozen=True)
class QuoteRow:
    """One quote as a table row."""

    number: int
    content: str
    speaker: str | None
    speaker_name: str | None
    cue: str | None
    type: str
    stance: str | None
    stance_class: str
    evidence: list[str]
    confidence: float | None
    start: int
    end: int

    @property
    def who(self) -> str:
        """``mention → canonical name`` (or one of them, or a dash)."""
        if self.speaker and self.speaker_name and self.speaker_name != self.speaker:
            return f"{self.speaker} → {self.speaker_name}"
        return self.speaker or self.speaker_name or "—"

    @property
    def hover(self) -> str:
        """What a reader sees on hovering the quote: who, cue, type, stance and evidence."""
        lines = [
            f"[{self.number}] {self.who}"
            + (f" · cue “{self.cue}”" if self.cue else "")
            + f" · {self.type} · stance {self.stance or '—'}"
        ]
        lines += [f"  {line}" for line in self.evidence]
        return "\n".join(lines)


@dataclass
class SpeakerRow:
    """A canonical speaker: the entity type of the name, the quote count, and counts of the
    quotes by stance (``—`` for quotes without a stance) and by type."""

    name: str
    label: str | None
    quotes: int = 0
    stances: Counter[str] = field(default_factory=Counter)
    types: Counter[str] = field(default_factory=Counter)
    documents: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class ArticleView:
    """Everything the article template draws for one record."""

    id: str
    anchor: str
    target: str | None
    sentences: int
    entity_count: int
    entity_labels: list[tuple[str, int]]
    quotes: list[QuoteRow]
    pieces: list[Piece]
    speakers: list[SpeakerRow]
    entities: Markup


def _text(span: Mapping[str, Any] | None) -> str | None:
    return None if span is None else str(span.get("text", ""))


def _sorted_quotes(record: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return sorted(record["quotes"], key=lambda q: (q["content"]["start"], q["content"]["end"]))


def quote_rows(record: Mapping[str, Any]) -> list[QuoteRow]:
    """The record's quotes in text order, numbered from 1."""
    rows = []
    for n, quote in enumerate(_sorted_quotes(record), 1):
        evidence = quote.get("stance_evidence") or []
        confidence = quote.get("confidence")
        rows.append(
            QuoteRow(
                number=n,
                content=quote["content"]["text"],
                speaker=_text(quote.get("speaker")),
                speaker_name=quote.get("speaker_name"),
                cue=_text(quote.get("cue")),
                type=str(quote.get("type") or "—"),
                stance=quote.get("stance"),
                stance_class=stance_class(quote.get("stance")),
                evidence=[str(line) for line in evidence],
                confidence=None if confidence is None else float(confidence),
                start=quote["content"]["start"],
                end=quote["content"]["end"],
            )
        )
    return rows


def quote_pieces(record: Mapping[str, Any]) -> list[Piece]:
    """The record's text cut where a quote's content, cue or speaker starts or ends; each
    piece carries the classes of the spans over it (content coloured by the quote's stance)
    and the hover text of the quotes it belongs to."""
    text = record["text"]
    rows = quote_rows(record)
    layers: list[tuple[int, int, str, QuoteRow]] = []
    for row, quote in zip(rows, _sorted_quotes(record), strict=True):
        layers.append((row.start, row.end, f"q {row.stance_class}", row))
        for span, css in ((quote.get("cue"), "cue"), (quote.get("speaker"), "spk")):
            if span is not None:
                layers.append((span["start"], span["end"], css, row))
    cuts = sorted({0, len(text)} | {s for s, *_ in layers} | {e for _, e, *_ in layers})
    starts = {row.start: row.number for row in rows}
    pieces = []
    for a, b in pairwise(cuts):
        over = [(css, row) for s, e, css, row in layers if s <= a and b <= e]
        classes = " ".join(sorted({c for css, _ in over for c in css.split()}))
        numbers = sorted({row.number for _, row in over})
        hover = "\n".join(rows[n - 1].hover for n in numbers)
        pieces.append(Piece(text[a:b], classes, hover, starts.get(a)))
    return pieces or [Piece(text)]


def entities_markup(record: Mapping[str, Any]) -> Markup:
    """The record's entities drawn by displaCy. displaCy escapes the text; the labels are
    escaped here (displaCy does not), so the result is safe to insert as markup. Overlapping
    entities (displaCy draws only disjoint ones) keep the first."""
    ents: list[dict[str, Any]] = []
    for entity in sorted(record["entities"], key=lambda e: (e["start"], e["end"])):
        if not ents or entity["start"] >= ents[-1]["end"]:
            label = str(escape(str(entity["label"])))
            ents.append({"start": entity["start"], "end": entity["end"], "label": label})
    html = displacy.render(
        {"text": record["text"], "ents": ents, "title": None},
        style="ent",
        manual=True,
        page=False,
        jupyter=False,
    )
    return Markup(str(html))  # the text is escaped by displaCy, the labels above


def _name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _speaker_label(record: Mapping[str, Any], quote: Mapping[str, Any]) -> str | None:
    """The entity type of a quote's speaker: of an entity whose text is the canonical name,
    else of the entity that overlaps the speaker mention most."""
    name = quote.get("speaker_name")
    if name:
        key = _name_key(name)
        for entity in record["entities"]:
            if _name_key(str(entity.get("text", ""))) == key:
                return str(entity["label"])
    mention = quote.get("speaker")
    if mention is None:
        return None
    best, label = 0, None
    for entity in record["entities"]:
        shared = min(mention["end"], entity["end"]) - max(mention["start"], entity["start"])
        if shared > best:
            best, label = shared, str(entity["label"])
    return label


def speaker_rows(records: Iterable[Mapping[str, Any]]) -> list[SpeakerRow]:
    """Speakers of ``records`` (one article or a corpus), most quoted first: quotes are
    grouped by canonical speaker (case and spacing ignored; the mention when there is no
    canonical name); the entity type is the one most of the speaker's quotes give."""
    rows: dict[str, SpeakerRow] = {}
    labels: dict[str, Counter[str]] = {}
    for record in records:
        for quote in record["quotes"]:
            name = quote.get("speaker_name") or _text(quote.get("speaker")) or NO_SPEAKER
            key = _name_key(name)
            row = rows.setdefault(key, SpeakerRow(name, None))
            row.quotes += 1
            row.stances[quote.get("stance") or "—"] += 1
            row.types[str(quote.get("type"))] += 1
            row.documents.add(str(record["id"]))
            label = _speaker_label(record, quote)
            if label is not None:
                labels.setdefault(key, Counter())[label] += 1
    for key, row in rows.items():
        if key in labels:
            row.label = labels[key].most_common(1)[0][0]
    return sorted(rows.values(), key=lambda r: (-r.quotes, r.name.casefold()))


SAFE_NAME = re.compile(r"[^A-Za-z0-9_.-]+")


def safe_name(doc_id: str, taken: set[str]) -> str:
    """A file name stem (and page anchor) for a document id: letters, digits, ``_.-`` only,
    never starting with a dot, unique among ``taken`` (case-insensitively; the stem is added).
    An id that had to be changed, or that collides, gets a short hash of the id."""
    stem = SAFE_NAME.sub("_", doc_id).strip("._-")[:60] or "document"
    if stem != doc_id or stem.casefold() in taken:
        stem = f"{stem}-{hashlib.sha1(doc_id.encode('utf-8')).hexdigest()[:8]}"
    n = 2
    base = stem
    while stem.casefold() in taken:
        stem, n = f"{base}-{n}", n + 1
    taken.add(stem.casefold())
    return stem


def article_view(record: Mapping[str, Any], anchor: str) -> ArticleView:
    """What the article template needs for ``record``."""
    labels = Counter(str(e["label"]) for e in record["entities"])
    return ArticleView(
        id=str(record["id"]),
        anchor=anchor,
        target=record.get("target"),
        sentences=len(record.get("sentences") or []),
        entity_count=len(record["entities"]),
        entity_labels=labels.most_common(),
        quotes=quote_rows(record),
        pieces=quote_pieces(record),
        speakers=speaker_rows([record]),
        entities=entities_markup(record),
    )


def render_articles(records: Sequence[Record], title: str | None = None) -> str:
    """One page for ``records``: the article, or, for several, a document list and every
    article below it (with a speaker table over all of them)."""
    taken: set[str] = set()
    views = [article_view(record, safe_name(str(record["id"]), taken)) for record in records]
    if title is None:
        many = f"newspipe: {len(views)} articles"
        title = f"newspipe: {views[0].id}" if len(views) == 1 else many
    return render_page(
        "article.html.j2",
        title=title,
        articles=views,
        corpus_speakers=speaker_rows(records) if len(records) > 1 else [],
    )


@dataclass(frozen=True)
class IndexEntry:
    """A line of the index of ``newspipe view``."""

    id: str
    file: str
    sentences: int
    entities: int
    quotes: int
    target: str | None


def write_view(records: Iterable[Record], directory: Path, title: str = "newspipe view") -> int:
    """One page per record in ``directory`` (``<safe id>.html``) and ``index.html`` with the
    document list and the speakers of all documents; each file written atomically. Returns the
    number of pages."""
    directory.mkdir(parents=True, exist_ok=True)
    taken: set[str] = {"index"}
    entries: list[IndexEntry] = []
    speakers: list[Mapping[str, Any]] = []
    for record in records:
        stem = safe_name(str(record["id"]), taken)
        view = article_view(record, stem)
        page = render_page("article.html.j2", title=view.id, articles=[view], corpus_speakers=[])
        write_text_atomic(directory / f"{stem}.html", page)
        entries.append(
            IndexEntry(
                view.id, f"{stem}.html", view.sentences, view.entity_count, len(view.quotes),
                view.target,
            )
        )
        # Only what the corpus speaker table needs is kept, not the texts.
        speakers.append(
            {
                "id": record["id"],
                "entities": record["entities"],
                "quotes": [
                    {key: q.get(key) for key in ("speaker", "speaker_name", "stance", "type")}
                    for q in record["quotes"]
                ],
            }
        )
    index = render_page(
        "index.html.j2", title=title, entries=entries, corpus_speakers=speaker_rows(speakers)
    )
    write_text_atomic(directory / "index.html", index)
    return len(entries)
