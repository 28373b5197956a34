"""The source table as one self-contained HTML page: the share of voice as bar charts (by
kind, referenced gender and stance), a timeline when the documents are dated, and the table
with each source's merge decisions and gender evidence. No script; every text from the
records is escaped."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any

from newspipe.pipeline.sources.documents import KINDS, STANCE_LABELS
from newspipe.pipeline.sources.table import GENDER_VALUES, SourceRow, SourceTable

MAX_ROWS = 500
"""Rows shown in the page (the largest sources); the CSV/JSONL outputs hold all."""

COLOURS = {
    "female": "#c2417a",
    "male": "#2f6db5",
    "nonbinary": "#8a5cc2",
    "unknown": "#9a9a9a",
    "person": "#2f6db5",
    "organisation": "#d08a1e",
    "government": "#3c9a5f",
    "group": "#8a5cc2",
    "unnamed": "#9a9a9a",
    "FAVOR": "#3c9a5f",
    "AGAINST": "#c0392b",
    "NONE": "#9a9a9a",
}

STYLE = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #222; max-width: 80em; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 2em; }
table { border-collapse: collapse; } td, th { padding: .2em .6em; border-bottom: 1px solid #ddd;
  text-align: left; vertical-align: top; } td.n { text-align: right; }
.bar { display: flex; height: 1.1em; width: 30em; background: #f0f0f0; }
.bar span { display: block; height: 100%; }
.legend span { display: inline-block; width: .8em; height: .8em; margin: 0 .3em 0 1em; }
.timeline { display: flex; align-items: flex-end; gap: 2px; height: 12em;
  border-bottom: 1px solid #888; }
.timeline .col { display: flex; flex-direction: column-reverse; width: 22px; }
.timeline .col span { display: block; width: 100%; }
.periods { display: flex; gap: 2px; font-size: .7em; }
.periods span { width: 22px; writing-mode: vertical-rl; }
details { font-size: .9em; color: #444; }
"""


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "0%"


def _bar(parts: Mapping[str, int], title: str = "") -> str:
    """A horizontal bar split by ``parts`` (value → count)."""
    whole = sum(parts.values())
    pieces = "".join(
        f'<span style="width:{_pct(n, whole)};background:{COLOURS.get(k, "#777")}" '
        f'title="{escape(k)}: {n} ({_pct(n, whole)})"></span>'
        for k, n in parts.items()
        if n
    )
    return f'<div class="bar" title="{escape(title)}">{pieces}</div>'


def _legend(keys: tuple[str, ...]) -> str:
    items = "".join(f'<span style="background:{COLOURS[k]}"></span>{escape(k)}' for k in keys)
    return f'<p class="legend">{items}</p>'


def _share_table(title: str, part: Mapping[str, Mapping[str, int]], keys: tuple[str, ...]) -> str:
    quotes = {k: part[k]["quotes"] for k in keys if k in part}
    sources = {k: part[k]["sources"] for k in keys if k in part}
    rows = "".join(
        f"<tr><td>{escape(k)}</td><td class=n>{quotes[k]}</td>"
        f"<td class=n>{_pct(quotes[k], sum(quotes.values()))}</td><td class=n>{sources[k]}</td>"
        f"<td class=n>{_pct(sources[k], sum(sources.values()))}</td></tr>"
        for k in quotes
    )
    return (
        f"<h3>{escape(title)}</h3>{_legend(tuple(quotes))}"
        f"<p>quotes {_bar(quotes, 'quotes')}</p><p>sources {_bar(sources, 'sources')}</p>"
        "<table><tr><th></th><th>quotes</th><th>share</th><th>sources</th><th>share</th></tr>"
        f"{rows}</table>"
    )


def _stance(summary: Mapping[str, Any]) -> str:
    targets = summary.get("by_target") or {}
    if not targets:
        return "<p>No stance: the records have no target.</p>"
    out = [_legend(STANCE_LABELS)]
    for target, labels in targets.items():
        counts = {label: labels[label]["quotes"] for label in STANCE_LABELS}
        out.append(f"<h3>{escape(target)}</h3><p>all quotes {_bar(counts)}</p>")
        for gender in GENDER_VALUES:
            by = {label: labels[label]["by_gender"].get(gender, 0) for label in STANCE_LABELS}
            if sum(by.values()):
                out.append(f"<p>{escape(gender)} {_bar(by)}</p>")
    return "".join(out)


def _timeline(summary: Mapping[str, Any]) -> str:
    timeline = summary.get("timeline")
    if not timeline or not timeline["periods"]:
        return ""
    periods = timeline["periods"]
    top = max(p["quotes"] for p in periods) or 1
    columns, labels = [], []
    for period in periods:
        pieces = "".join(
            f'<span style="height:{12 * cells["quotes"] / top:.2f}em;background:{COLOURS[g]}" '
            f'title="{escape(period["period"])} {g}: {cells["quotes"]} quotes"></span>'
            for g, cells in period["by_gender"].items()
            if cells["quotes"]
        )
        columns.append(f'<div class="col">{pieces}</div>')
        labels.append(f"<span>{escape(period['period'])}</span>")
    return (
        f"<h2>Over time (quotes by referenced gender, per {escape(timeline['period'])})</h2>"
        f"<p>{timeline['dated_documents']} dated documents, {timeline['undated_documents']} "
        f"without a date in '{escape(timeline['field'])}'.</p>{_legend(GENDER_VALUES)}"
        f'<div class="timeline">{"".join(columns)}</div>'
        f'<div class="periods">{"".join(labels)}</div>'
    )


def _row(row: SourceRow, grouped: bool) -> str:
    data = row.to_json()
    stance = row.stance_totals()
    merged = "; ".join(f"{m['name']}: {m['rule']}" for m in data["merged"])
    evidence = "".join(f"<li>{escape(e['context'])}</li>" for e in data["gender_examples"])
    details = (
        f"<details><summary>{escape(row.gender_reason)}</summary>"
        f"<p>kind: {escape(', '.join(data['kind_reasons']))}</p>"
        + (f"<p>merged: {escape(merged)}</p>" if merged else "")
        + (f"<ul>{evidence}</ul>" if evidence else "")
        + "</details>"
    )
    cells = [
        *([escape(row.group or "")] if grouped else []),
        escape(row.name),
        escape(row.kind),
        escape(row.gender) + details,
        f"<td class=n>{row.quotes}",
        f"<td class=n>{row.types['direct']}/{row.types['indirect']}/{row.types['mixed']}",
        f"<td class=n>{len(row.documents)}",
        escape(f"{data['first_document']} … {data['last_document']}"),
        "/".join(str(stance[label]) for label in STANCE_LABELS) if stance else "—",
    ]
    return "<tr>" + "".join(c if c.startswith("<td") else f"<td>{c}" for c in cells) + "</tr>"


def render_sources_page(table: SourceTable, title: str = "newspipe sources") -> str:
    """The page (see the module docstring)."""
    summary = table.summary
    grouped = table.settings.get("by") is not None
    rows = sorted(table.rows, key=lambda r: -r.quotes)[:MAX_ROWS]
    head = "".join(
        f"<th>{escape(c)}</th>"
        for c in (
            *([str(table.settings["by"])] if grouped else []),
            "source",
            "kind",
            "referenced gender",
            "quotes",
            "dir/ind/mix",
            "docs",
            "first … last document",
            "stance F/A/N",
        )
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>
<style>{STYLE}</style></head><body>
<h1>{escape(title)}</h1>
<p>{summary["documents"]} documents, {summary["quotes"]} quotes
({summary["unattributed_quotes"]} without a speaker, {summary["unresolved_quotes"]["quotes"]}
with an unresolved pronoun), {summary["sources"]} distinct
sources{"" if table.settings["merge"] else " (names not merged)"}.
Referenced gender is how the articles refer to a source (pronouns, honorifics, gendered
nouns), not a person's gender.</p>
<h2>Share of voice</h2>
{_share_table("By kind", summary["by_kind"], KINDS)}
{_share_table("By referenced gender", summary["by_gender"], GENDER_VALUES)}
{_share_table("Named people, by referenced gender", summary["people_by_gender"], GENDER_VALUES)}
<h2>Stance per target</h2>
{_stance(summary)}
{_timeline(summary)}
<h2>Sources ({len(rows)} of {len(table.rows)} rows, by quotes)</h2>
<table><tr>{head}</tr>
{"".join(_row(r, grouped) for r in rows)}
</table>
</body></html>
"""
