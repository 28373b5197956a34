"""``newspipe score``: every stage's accuracy (with intervals) and throughput, isolated and end
to end, on our gold or on a public data set; or the scores of a saved extraction."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from newspipe.errors import fail, gold_advice, message, warn
from newspipe.eval.datasets import (
    MODES,
    DatasetError,
    load_dataset_spec,
    load_gold_set,
    read_predictions,
)
from newspipe.eval.gold import GOLD_SETS, GoldError, gold_set_files
from newspipe.eval.report.tables import (
    confusion_tables,
    error_lists,
    format_value,
    metric_rows,
    modes_label,
    throughput_rows,
)
from newspipe.eval.run import ScoreRun
from newspipe.eval.run import score as run_score
from newspipe.eval.scorers.bootstrap import DEFAULT_RESAMPLES, DEFAULT_SEED
from newspipe.eval.scorers.matching import DEFAULT_OVERLAP
from newspipe.eval.timing import WORDS
from newspipe.options import (
    CONFIG_HELP,
    build_nlp,
    check_output,
    config_overrides,
    split_overrides,
)
from newspipe.pipeline.files import write_text_atomic
from newspipe.progress import StepProgress, show_progress

DEFAULT_GOLD = "gold"
MODE_CHOICES = ("both", *MODES)


def score(
    ctx: typer.Context,
    gold: Annotated[
        list[str] | None,
        typer.Argument(
            help="Gold files (*.gold.yaml / *.gold.json) or directories of them; default: gold/.",
            show_default=False,
        ),
    ] = None,
    gold_set_name: Annotated[
        str | None,
        typer.Option(
            "--gold-set",
            help="A named part of gold/: "
            + "; ".join(f"{name} = {what}" for name, what in GOLD_SETS.items())
            + ". Default: all.",
            show_default=False,
        ),
    ] = None,
    dataset: Annotated[
        str | None,
        typer.Option(
            help="Score on a public data set instead: KIND:PATH with KIND golden-rules, gum, "
            "polnear, conll or stance.",
            show_default=False,
        ),
    ] = None,
    pred: Annotated[
        Path | None,
        typer.Option(
            help="Score this saved extraction (JSONL records, matched by id) instead of "
            "running the pipeline.",
            show_default=False,
        ),
    ] = None,
    mode: Annotated[
        str, typer.Option(help="isolated, end-to-end, or both (side by side).")
    ] = "both",
    config: Annotated[Path | None, typer.Option("--config", "-c", help=CONFIG_HELP)] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the metrics as JSON (atomically).")
    ] = None,
    report: Annotated[
        Path | None, typer.Option(help="Write a self-contained HTML report (atomically).")
    ] = None,
    overlap: Annotated[
        float,
        typer.Option(help="Share of EACH span the overlap must cover for two quotes to match."),
    ] = DEFAULT_OVERLAP,
    bootstrap: Annotated[
        int, typer.Option(help="Bootstrap resamples for the 95% intervals; 0 to disable.")
    ] = DEFAULT_RESAMPLES,
    seed: Annotated[int, typer.Option(help="Seed of the bootstrap.")] = DEFAULT_SEED,
    errors: Annotated[
        int, typer.Option(help="Errors shown per stage and mode in the terminal.")
    ] = 5,
    gold_root: Annotated[
        list[Path] | None,
        typer.Option(
            "--gold-root",
            help="Also allow gold articles (text_file) under this folder (see gold validate).",
            show_default=False,
        ),
    ] = None,
    progress: Annotated[
        bool | None,
        typer.Option(
            "--progress/--no-progress",
            help="A progress bar per document on stderr (default: on a terminal).",
        ),
    ] = None,
) -> None:
    """Score every stage against gold: accuracy with bootstrap 95% intervals, throughput, and
    the errors in context.

    Dotted config overrides may follow, e.g. --components.quotes.factory NAME.
    """
    positional, override_args = split_overrides([*(gold or []), *ctx.args], ctx)
    if mode not in MODE_CHOICES:
        fail(f"--mode must be one of {', '.join(MODE_CHOICES)}, not '{mode}'")
    if not 0.0 < overlap <= 1.0:
        fail(f"--overlap must be in (0, 1], not {overlap}")
    if bootstrap < 0:
        fail(f"--bootstrap must be 0 or more, not {bootstrap}")
    for path in (output, report):
        check_output(path)
    if output is not None and report is not None and output.resolve() == report.resolve():
        fail(f"{output}: --output and --report name one file")
    if dataset is not None and positional:
        fail("give either gold files or --dataset, not both")
    if gold_set_name is not None and (positional or dataset is not None):
        fail("give either --gold-set or gold files / --dataset, not both")
    if gold_set_name is not None and gold_set_name not in GOLD_SETS:
        fail(f"--gold-set must be one of {', '.join(GOLD_SETS)}, not '{gold_set_name}'")
    try:
        roots = gold_root or ()
        if dataset is not None:
            gold_set = load_dataset_spec(dataset)
        elif positional:
            gold_set = load_gold_set(positional, roots=roots)
        else:
            name = gold_set_name or "all"
            gold_set = load_gold_set(
                gold_set_files(name, DEFAULT_GOLD), f"{DEFAULT_GOLD}/ ({name})", roots
            )
        predictions = None
        if pred is not None:
            predictions, problems = read_predictions(pred)
            for problem in problems:
                warn(problem)
    except (DatasetError, GoldError) as err:
        fail(gold_advice(message(err).splitlines()[0]))
    if not gold_set.records:
        first = f" (first problem: {gold_set.problems[0]})" if gold_set.problems else ""
        fail(f"{gold_set.source}: no usable document{first}")
    if predictions is not None:
        gold_ids = [record["id"] for record in gold_set.records]
        if not set(gold_ids) & set(predictions):
            fail(
                f"{pred}: no record id matches a gold document (predicted: "
                f"{_some(predictions)}; gold: {_some(gold_ids)}); nothing to score"
            )
    wanted = MODES if mode == "both" else (mode,)
    modes = tuple(m for m in wanted if m in gold_set.modes)
    if not modes and pred is None:
        allowed = " or ".join(gold_set.modes)
        fail(f"{gold_set.kind} data is scored {allowed} only, not {mode}")
    nlp = None if pred is not None else build_nlp(config, config_overrides(override_args))
    with StepProgress(show_progress(progress)) as bar:
        run = run_score(
            gold_set,
            nlp,
            modes=modes,
            pred=predictions,
            overlap=overlap,
            bootstrap=bootstrap,
            seed=seed,
            progress=bar.update,
        )
    for problem in run.metrics["problems"]:
        warn(problem)
    for data in run.metrics["modes"].values():
        for problem in data["problems"]:
            warn(problem)
    if output is not None:
        write_text_atomic(output, json.dumps(run.metrics, ensure_ascii=False, indent=1) + "\n")
    if report is not None:
        from newspipe.eval.report import render_report

        write_text_atomic(report, render_report(run))
    print_scores(run, Console(), errors)


def _some(ids: Iterable[str], shown: int = 3) -> str:
    """A few ids, quoted, and how many more there are."""
    ids = list(ids)
    more = f" and {len(ids) - shown} more" if len(ids) > shown else ""
    return ", ".join(repr(i) for i in ids[:shown]) + more


def _numbers(table: Table, headers: list[str], columns: list[list[str]]) -> None:
    """Right-aligned figure columns that never shrink below their widest figure (rich wraps
    the text columns instead, to fit the terminal)."""
    for header, cells in zip(headers, columns, strict=True):
        width = max([len(cell) for cell in cells] + [len(word) for word in header.split()])
        table.add_column(header, justify="right", no_wrap=True, min_width=width)


def print_scores(run: ScoreRun, console: Console, errors_shown: int = 5) -> None:
    """The metric table (modes side by side), throughput, and the first errors per stage."""
    result = run.metrics
    data = result["dataset"]
    modes = list(result["modes"])
    console.print(
        f"[bold]{escape(data['kind'])}[/bold] {escape(data['source'])}: {data['docs']} documents, "
        f"scoring {', '.join(data['scored'])}; overlap {result['settings']['overlap']}, "
        + _intervals(result["settings"]["bootstrap"])
    )
    rows = metric_rows(result)
    cells = [[format_value(*row.cells[mode]) for row in rows] for mode in modes]
    table = Table(title="Scores", title_justify="left")
    table.add_column("stage", no_wrap=True)
    table.add_column("metric", ratio=1)
    _numbers(table, modes, cells)
    previous = None
    for n, row in enumerate(rows):
        if previous is not None and row.stage != previous:
            table.add_section()
        table.add_row(
            row.stage if row.stage != previous else "",
            escape(row.label),
            *(column[n] for column in cells),
        )
        previous = row.stage
    console.print(table)
    for note in result.get("notes", []):
        console.print(f"[dim]Note: {escape(note)}[/dim]")
    speeds = throughput_rows(result)
    if any(value != "—" for _, cells_ in speeds for value in cells_.values()):
        timing = Table(title="Throughput (words/s, this run)", title_justify="left")
        timing.add_column("stage")
        _numbers(timing, modes, [[c[mode] for _, c in speeds] for mode in modes])
        for stage, by_mode in speeds:
            timing.add_row(stage, *(by_mode[mode] for mode in modes))
        console.print(timing)
        console.print(f"[dim]words = {escape(WORDS)}, as newspipe bench counts them[/dim]")
    for mode, labels, matrix in confusion_tables(result):
        confusion = Table(title=f"Stance confusion ({mode}): rows gold, columns predicted")
        confusion.add_column("")
        _numbers(confusion, labels, [[str(row[i]) for row in matrix] for i in range(len(labels))])
        for label, counts in zip(labels, matrix, strict=True):
            confusion.add_row(label, *(str(n) for n in counts))
        console.print(confusion)
    if errors_shown > 0:
        print_errors(result, console, errors_shown)


def _intervals(resamples: int) -> str:
    if resamples <= 0:
        return "no bootstrap intervals"
    return f"95% intervals from {resamples} bootstrap resamples"


def _short(value: Any, width: int = 60) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def describe_error(error: dict[str, Any]) -> str:
    """What is wrong, in a few words: the predicted and the gold value."""
    gold, pred = error.get("gold"), error.get("pred")
    if "label" in error:  # an entity: the entity is the prediction (or the missed gold)
        if isinstance(gold, dict):
            return f"{error['label']} (gold: {gold['label']} “{_short(gold.get('text', ''), 30)}”)"
        return str(error["label"])
    if (gold is None and pred is None) or error["kind"] in ("missed quote", "spurious quote"):
        return ""  # the context shows the quote
    return f"gold: {_short(gold, 40) if gold is not None else '—'}; predicted: " + (
        _short(pred, 40) if pred is not None else "—"
    )


def describe_quote(quote: dict[str, Any] | None) -> str:
    """A quote of an error in a few words: speaker → canonical name, cue, stance (evidence)."""
    if quote is None:
        return "—"
    speaker, name = quote.get("speaker"), quote.get("speaker_name")
    who = f"{speaker} → {name}" if speaker and name and name != speaker else speaker or name
    text = f"{_short(who or '—', 40)}, cue {_short(quote.get('cue') or '—', 20)}"
    text += f", {quote.get('stance') or 'no stance'}"
    evidence = quote.get("stance_evidence")
    if evidence:
        text += f" ({_short('; '.join(evidence), 80)})"
    return text


def print_errors(result: dict[str, Any], console: Console, shown: int) -> None:
    """The first ``shown`` errors of each stage in context: one list when the modes made the
    same errors, one per mode otherwise; quote and stance errors with the predicted quote's
    speaker, cue and stance evidence."""
    for found in error_lists(result):
        if not found.errors:
            continue
        console.print(
            f"[bold]{found.stage}[/bold] errors ({modes_label(found.modes)}): {len(found.errors)}"
            + (f", first {shown}" if len(found.errors) > shown else "")
        )
        for error in found.errors[:shown]:
            before, text, after = error["context"]
            marked = f"[reverse]{escape(_short(text))}[/reverse]" if text else "[red]‖[/red]"
            detail = describe_error(error)
            console.print(
                f"  {escape(error['id'])} [cyan]{escape(error['kind'])}[/cyan]"
                + (f" {escape(detail)}" if detail else "")
                + f": {'…' if before else ''}{escape(before[-40:])}{marked}"
                + f"{escape(after[:40])}{'…' if after else ''}",
                highlight=False,
            )
            if "pred_quote" in error:
                console.print(
                    f"    [dim]gold: {escape(describe_quote(error.get('gold_quote')))}[/dim]\n"
                    f"    [dim]predicted: {escape(describe_quote(error.get('pred_quote')))}[/dim]",
                    highlight=False,
                )
