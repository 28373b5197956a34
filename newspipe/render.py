"""A readable terminal rendering of records (for people; machines read the JSONL)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from rich.console import Console, Group, RenderableType
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from newspipe.pipeline.stages import STANCE_LABELS

STANCE_STYLES: dict[str | None, str] = {
    **dict(zip(STANCE_LABELS, ("green", "red", "dim"), strict=True)),
    None: "dim",
}


def render_record(record: Mapping[str, Any]) -> Group:
    """Sentences, entities and quotes of one record as rich renderables."""
    counts = Counter(e["label"] for e in record["entities"])
    summary = Text.assemble(
        (f"{record['id']}", "bold"),
        f"  {len(record['sentences'])} sentences · {len(record['entities'])} entities · "
        f"{len(record['quotes'])} quotes · target: {'; '.join(targets_of(record)) or '—'}",
    )
    entities = Text(", ".join(f"{label} {n}" for label, n in counts.most_common()) or "none")
    table = Table(show_lines=False, expand=True, title="Quotes", title_justify="left")
    table.add_column("#", justify="right", width=3)
    table.add_column("speaker", ratio=2)
    table.add_column("cue", ratio=2, min_width=12)
    table.add_column("type", no_wrap=True, min_width=8)
    table.add_column("content", ratio=6)
    table.add_column("stance", no_wrap=True, min_width=7)
    table.add_column("conf.", justify="right", no_wrap=True, min_width=5)
    for n, quote in enumerate(record["quotes"], 1):
        speaker = quote["speaker"]["text"] if quote["speaker"] else "—"
        name = quote["speaker_name"]
        if name and name != speaker:
            speaker = f"{speaker} → {name}"
        stance = quote["stance"]
        table.add_row(
            str(n),
            escape(speaker),
            escape(quote["cue"]["text"]) if quote["cue"] else "—",
            quote["type"],
            escape(_shorten(quote["content"]["text"], 160)),
            Text(stance or "—", style=STANCE_STYLES.get(stance, "")),
            "—" if quote.get("confidence") is None else f"{quote['confidence']:.2f}",
        )
    parts: list[RenderableType] = [
        Panel(summary, expand=True),
        Text.assemble(("Entities: ", "bold"), entities),
        _entity_list(record),
        table,
    ]
    speakers = speaker_table(record)
    if speakers is not None:
        parts.append(speakers)
    return Group(*parts)


def targets_of(record: Mapping[str, Any]) -> list[str]:
    """The record's stance targets, in order (``targets``, else ``target``)."""
    return list(record.get("targets") or ([record["target"]] if record.get("target") else []))


def speaker_stances(record: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Per canonical speaker (else the mention as written, else "—"): the number of quotes and,
    per target, how many quotes had each stance."""
    targets = targets_of(record)
    rows: dict[str, dict[str, Any]] = {}
    for quote in record["quotes"]:
        name = quote.get("speaker_name") or (quote["speaker"] or {}).get("text") or "—"
        row = rows.setdefault(name, {"quotes": 0, "stances": {t: Counter() for t in targets}})
        row["quotes"] += 1
        stances = quote.get("stances") or ({targets[0]: quote.get("stance")} if targets else {})
        for target, label in stances.items():
            if target in row["stances"] and label is not None:
                row["stances"][target][label] += 1
    return rows


def speaker_table(record: Mapping[str, Any]) -> Table | None:
    """The per-speaker view: quotes and stance counts per target, most quoted first."""
    rows = speaker_stances(record)
    if not rows:
        return None
    targets = targets_of(record)
    table = Table(expand=True, title="Speakers", title_justify="left")
    table.add_column("speaker", ratio=3)
    table.add_column("quotes", justify="right", width=6)
    for target in targets:
        table.add_column(f"stance: {escape(_shorten(target, 40))}", ratio=3)
    for name, row in sorted(rows.items(), key=lambda kv: (-kv[1]["quotes"], kv[0])):
        cells = []
        for target in targets:
            counts = row["stances"][target]
            cell = Text()
            for label in STANCE_LABELS:
                if counts[label]:
                    if cell:
                        cell.append(" · ")
                    cell.append(f"{counts[label]} {label}", style=STANCE_STYLES[label])
            cells.append(cell if cell else Text("—", style="dim"))
        table.add_row(escape(name), str(row["quotes"]), *cells)
    return table


def _entity_list(record: Mapping[str, Any]) -> Text:
    seen: dict[tuple[str, str], int] = {}
    for entity in record["entities"]:
        key = (entity["text"], entity["label"])
        seen[key] = seen.get(key, 0) + 1
    parts = [f"{text} [{label}]" + (f" ×{n}" if n > 1 else "") for (text, label), n in seen.items()]
    return Text("  " + "; ".join(parts), style="cyan")


def _shorten(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def print_records(records: Sequence[Mapping[str, Any]], console: Console | None = None) -> None:
    """Print each record's rendering."""
    console = console or Console()
    for record in records:
        console.print(render_record(record))
