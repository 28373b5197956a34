"""The HTML report of a score run: one self-contained page (inline CSS, no script, no external
resource) with the score tables, every error in context, and each document's gold and
predicted annotations drawn on its text — entities with displaCy, quotes highlighted with their
cue, speaker and stance, sentence boundaries marked.

Every piece of text that comes from data (article text, ids, labels, speaker names, file
names) is HTML-escaped: a ``<script>`` in an article is shown, never run.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from itertools import pairwise
from typing import Any

from spacy import displacy

from newspipe.eval.report.tables import confusion_tables, format_value, metric_rows, throughput_rows
from newspipe.eval.run import ScoreRun
from newspipe.eval.scorers.sentences import boundaries, sentence_spans
from newspipe.pipeline.records import Record

MAX_DOCUMENTS = 200
"""Documents drawn in full; the error tables always list every error."""

CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2em auto;
       max-width: 80em; padding: 0 1em; color: #222; line-height: 1.5; }
h1 { font-size: 1.6em; } h2 { margin-top: 2em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; font-size: 0.92em; }
th, td { border: 1px solid #ddd; padding: 0.25em 0.6em; vertical-align: top;
         overflow-wrap: anywhere; }
th { background: #f4f4f4; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.section td { border-top: 2px solid #999; }
.ctx { font-family: ui-monospace, monospace; font-size: 0.9em; }
.ctx mark { background: #ffe08a; }
.doc { border: 1px solid #ddd; border-radius: 6px; padding: 0.5em 1em; margin: 1em 0; }
.side { display: grid; grid-template-columns: 1fr 1fr; gap: 1em; }
.text { white-space: pre-wrap; }
.q { background: #d7ecff; } .q.cue { background: #ffd7a8; font-weight: bold; }
.q.spk, .spk { text-decoration: underline 2px #2a6; }
.cue { background: #ffd7a8; font-weight: bold; }
sup.n { color: #06c; font-weight: bold; }
.b { font-weight: bold; padding: 0 2px; } .b.ok { color: #2a6; } .b.fp { color: #c22; }
.b.fn { color: #e80; }
.FAVOR { color: #170; font-weight: bold; } .AGAINST { color: #b11; font-weight: bold; }
.NONE { color: #666; }
.note { color: #666; font-size: 0.9em; }
"""


def _cell(value: Any, interval: list[float] | None) -> str:
    return f'<td class="num">{escape(format_value(value, interval))}</td>'


def metrics_table(result: dict[str, Any]) -> str:
    """The scores, modes side by side."""
    modes = list(result["modes"])
    head = "".join(f"<th>{escape(mode)}</th>" for mode in modes)
    lines = [f"<table><tr><th>stage</th><th>metric</th>{head}</tr>"]
    previous = None
    for row in metric_rows(result):
        css = ' class="section"' if previous is not None and row.stage != previous else ""
        stage = escape(row.stage) if row.stage != previous else ""
        cells = "".join(_cell(*row.cells[mode]) for mode in modes)
        lines.append(f"<tr{css}><td>{stage}</td><td>{escape(row.label)}</td>{cells}</tr>")
        previous = row.stage
    lines.append("</table>")
    return "\n".join(lines)


def throughput_table(result: dict[str, Any]) -> str:
    """Words per second of each stage, per mode."""
    rows = throughput_rows(result)
    if not any(value != "—" for _, cells in rows for value in cells.values()):
        return '<p class="note">No throughput (saved predictions were scored).</p>'
    modes = list(result["modes"])
    head = "".join(f"<th>{escape(mode)}</th>" for mode in modes)
    body = "".join(
        f"<tr><td>{escape(stage)}</td>"
        + "".join(f'<td class="num">{escape(cells[mode])}</td>' for mode in modes)
        + "</tr>"
        for stage, cells in rows
    )
    return f"<table><tr><th>stage</th>{head}</tr>{body}</table>"


def confusion_html(result: dict[str, Any]) -> str:
    """Each mode's stance confusion matrix."""
    parts = []
    for mode, labels, matrix in confusion_tables(result):
        head = "".join(f"<th>{escape(label)}</th>" for label in labels)
        body = "".join(
            f"<tr><th>{escape(label)}</th>"
            + "".join(f'<td class="num">{int(n)}</td>' for n in counts)
            + "</tr>"
            for label, counts in zip(labels, matrix, strict=True)
        )
        parts.append(
            f"<h3>Stance confusion ({escape(mode)}): rows gold, columns predicted</h3>"
            f"<table><tr><th></th>{head}</tr>{body}</table>"
        )
    return "\n".join(parts)


def _detail(error: dict[str, Any]) -> str:
    gold, pred = error.get("gold"), error.get("pred")
    if "label" in error:
        if isinstance(gold, dict):
            return f"{error['label']} (gold: {gold['label']} “{gold.get('text', '')}”)"
        return str(error["label"])
    if (gold is None and pred is None) or error["kind"] in ("missed quote", "spurious quote"):
        return ""  # the context shows the quote
    return f"gold: {gold if gold is not None else '—'} · predicted: {pred if pred else '—'}"


def errors_section(result: dict[str, Any]) -> str:
    """Every error of every stage and mode, with its context."""
    parts = []
    for mode, data in result["modes"].items():
        for stage, errors in data["errors"].items():
            parts.append(f"<h3>{escape(stage)} — {escape(mode)}: {len(errors)} errors</h3>")
            if not errors:
                continue
            rows = []
            for error in errors:
                before, text, after = error["context"]
                marked = f"<mark>{escape(text)}</mark>" if text else "<mark>‖</mark>"
                rows.append(
                    f"<tr><td>{escape(str(error['id']))}</td><td>{escape(error['kind'])}</td>"
                    f"<td>{escape(_detail(error))}</td>"
                    f'<td class="ctx">{"…" if before else ""}{escape(before)}{marked}'
                    f"{escape(after)}{'…' if after else ''}</td></tr>"
                )
            parts.append(
                "<table><tr><th>document</th><th>error</th><th>detail</th><th>context</th></tr>"
                + "".join(rows)
                + "</table>"
            )
    return "\n".join(parts)


# --------------------------------------------------------------------------- documents


def entities_html(record: Record) -> str:
    """The record's entities drawn by displaCy (its text is escaped by displaCy; labels here)."""
    ents = [
        {"start": e["start"], "end": e["end"], "label": escape(e["label"])}
        for e in sorted(record["entities"], key=lambda e: (e["start"], e["end"]))
    ]
    kept: list[dict[str, Any]] = []
    for ent in ents:  # displaCy draws non-overlapping spans only
        if not kept or ent["start"] >= kept[-1]["end"]:
            kept.append(ent)
    return str(
        displacy.render(
            {"text": record["text"], "ents": kept, "title": None},
            style="ent",
            manual=True,
            page=False,
            jupyter=False,
        )
    )


def quotes_html(record: Record) -> str:
    """The text with each quote's content, cue and speaker highlighted, then a quote table."""
    text = record["text"]
    quotes = sorted(record["quotes"], key=lambda q: (q["content"]["start"], q["content"]["end"]))
    layers: list[tuple[int, int, str, int]] = []
    for n, quote in enumerate(quotes, 1):
        layers.append((quote["content"]["start"], quote["content"]["end"], "q", n))
        for span, css in ((quote["cue"], "cue"), (quote["speaker"], "spk")):
            if span is not None:
                layers.append((span["start"], span["end"], css, n))
    cuts = sorted({0, len(text)} | {s for s, _, _, _ in layers} | {e for _, e, _, _ in layers})
    starts = {s: n for s, _, css, n in layers if css == "q"}
    out = []
    for a, b in pairwise(cuts):
        if a in starts:
            out.append(f'<sup class="n">[{starts[a]}]</sup>')
        classes = sorted({css for s, e, css, _ in layers if s <= a and b <= e})
        piece = escape(text[a:b])
        if classes:
            numbers = sorted({n for s, e, _, n in layers if s <= a and b <= e})
            title = escape(", ".join(f"[{n}]" for n in numbers), quote=True)
            out.append(f'<span class="{" ".join(classes)}" title="{title}">{piece}</span>')
        else:
            out.append(piece)
    rows = []
    for n, quote in enumerate(quotes, 1):
        speaker = quote["speaker"]["text"] if quote["speaker"] else "—"
        if quote.get("speaker_name") and quote["speaker_name"] != speaker:
            speaker = f"{speaker} → {quote['speaker_name']}"
        stance = quote.get("stance") or "—"
        rows.append(
            f"<tr><td>[{n}]</td><td>{escape(speaker)}</td>"
            f"<td>{escape(quote['cue']['text']) if quote['cue'] else '—'}</td>"
            f"<td>{escape(quote['type'])}</td>"
            f'<td class="{escape(stance, quote=True)}">{escape(stance)}</td>'
            f"<td>{escape(quote['content']['text'])}</td></tr>"
        )
    table = (
        "<table><tr><th>#</th><th>speaker</th><th>cue</th><th>type</th><th>stance</th>"
        "<th>content</th></tr>" + "".join(rows) + "</table>"
        if rows
        else '<p class="note">No quotes.</p>'
    )
    return f'<div class="text">{"".join(out)}</div>{table}'


def sentences_html(gold: Record, pred: Record) -> str:
    """The text with each sentence boundary marked: right (green), spurious (red), missed
    (orange)."""
    text = gold["text"]
    gold_bounds = boundaries(sentence_spans(gold))
    pred_bounds = boundaries(sentence_spans(pred))
    out = []
    cursor = 0
    for offset in sorted(gold_bounds | pred_bounds):
        out.append(escape(text[cursor:offset]))
        if offset in gold_bounds and offset in pred_bounds:
            out.append('<span class="b ok" title="boundary">‖</span>')
        elif offset in pred_bounds:
            out.append('<span class="b fp" title="spurious boundary">‖+</span>')
        else:
            out.append('<span class="b fn" title="missed boundary">‖−</span>')
        cursor = offset
    out.append(escape(text[cursor:]))
    return f'<div class="text">{"".join(out)}</div>'


def _mode_for(run: ScoreRun, stage: str) -> str | None:
    """The mode whose predictions are drawn for ``stage`` (end to end when it was scored)."""
    scored = [m for m, data in run.metrics["modes"].items() if stage in data["stages"]]
    if not scored:
        return None
    return "end-to-end" if "end-to-end" in scored else scored[0]


def _side_by_side(title: str, gold_html: str, pred_html: str, mode: str) -> str:
    return (
        f"<h4>{escape(title)}</h4><div class='side'><div><b>gold</b>{gold_html}</div>"
        f"<div><b>predicted ({escape(mode)})</b>{pred_html}</div></div>"
    )


def document_html(run: ScoreRun, index: int) -> str:
    """One document's gold and predicted annotations."""
    gold = run.gold.records[index]
    parts = [f"<div class='doc'><h3>{escape(str(gold['id']))}</h3>"]
    if gold.get("target"):
        parts.append(f"<p>target: <i>{escape(str(gold['target']))}</i></p>")
    drawn = False
    for stage in ("sentences", "entities", "quotes", "stance"):
        mode = _mode_for(run, stage)
        if mode is None or (stage == "stance" and _mode_for(run, "quotes") == mode):
            continue  # stance is drawn with the quotes when both come from the same mode
        pred = run.predictions[mode].by_stage[stage][index]
        if pred is None:
            parts.append(f"<p class='note'>{escape(stage)}: no prediction ({escape(mode)}).</p>")
            continue
        drawn = True
        if stage == "sentences":
            legend = "‖ right, ‖+ spurious, ‖− missed"
            parts.append(
                f"<h4>sentences ({escape(mode)}; {legend})</h4>{sentences_html(gold, pred)}"
            )
        elif stage == "entities":
            parts.append(_side_by_side("entities", entities_html(gold), entities_html(pred), mode))
        else:
            title = "quotes and stance" if stage == "quotes" else "stance (on gold quotes)"
            parts.append(_side_by_side(title, quotes_html(gold), quotes_html(pred), mode))
    if not drawn:
        parts.append("<p class='note'>Nothing predicted to draw.</p>")
    parts.append("</div>")
    return "\n".join(parts)


def render_report(run: ScoreRun, max_documents: int = MAX_DOCUMENTS) -> str:
    """The whole report as one HTML page."""
    result = run.metrics
    data = result["dataset"]
    settings = result["settings"]
    count = len(run.gold.records)
    shown: Sequence[int] = range(min(count, max_documents))
    problems = result["problems"] + [p for d in result["modes"].values() for p in d["problems"]]
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>newspipe score report</title>",
        f"<style>{CSS}</style></head><body>",
        "<h1>newspipe score report</h1>",
        f"<p><b>{escape(data['kind'])}</b> {escape(data['source'])}: {count} documents; "
        f"scored: {escape(', '.join(data['scored']))}; gold layers: "
        f"{escape(', '.join(data['gold_layers']))}; quote overlap {settings['overlap']}; "
        + (
            f"95% intervals (in brackets) from {settings['bootstrap']} bootstrap resamples.</p>"
            if settings["bootstrap"] > 0
            else "no bootstrap intervals.</p>"
        ),
        "<h2>Scores</h2>",
        metrics_table(result),
        *(f"<p class='note'>Note: {escape(note)}</p>" for note in result.get("notes", [])),
        confusion_html(result),
        "<h2>Throughput (words per second, this run)</h2>",
        throughput_table(result),
    ]
    if problems:
        items = "".join(f"<li>{escape(p)}</li>" for p in problems)
        parts.append(f"<h2>Problems</h2><ul>{items}</ul>")
    parts += ['<h2 id="errors">Errors</h2>', errors_section(result)]
    parts.append('<h2 id="documents">Documents</h2>')
    if count > max_documents:
        parts.append(f"<p class='note'>The first {max_documents} of {count} documents.</p>")
    parts += [document_html(run, i) for i in shown]
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
