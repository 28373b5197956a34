"""``newspipe bench``: words/s, latency and memory per stage, against the bare spaCy model."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from newspipe.errors import EXIT_BAD_INPUT, fail, message, problem_message, warn
from newspipe.eval.bench import (
    BASELINE,
    PIPELINE,
    SHARED,
    SUBSETS,
    BenchReport,
    Row,
    iter_documents,
    parse_n_process,
    run_bench,
)
from newspipe.options import (
    CONFIG_HELP,
    IdField,
    SplitOption,
    TargetField,
    TextField,
    check_output,
    config_overrides,
    split_overrides,
)
from newspipe.pipeline.errors import PipelineError
from newspipe.pipeline.files import write_text_atomic
from newspipe.pipeline.run.documents import Fields
from newspipe.pipeline.run.readers import read_documents
from newspipe.pipeline.stages import backend

SEED = Path(__file__).resolve().parents[2] / "seeds" / "putin_visit_north_korea.txt"
GOAL_RATIO = 0.9


def bench(
    ctx: typer.Context,
    inputs: Annotated[
        list[str] | None,
        typer.Argument(
            help="Documents as for extract: .txt files, directories, .jsonl files or - "
            "(default: the seed article).",
            show_default=False,
        ),
    ] = None,
    config: Annotated[Path | None, typer.Option("--config", "-c", help=CONFIG_HELP)] = None,
    batch_size: Annotated[
        int | None, typer.Option("--batch-size", "-b", help="Default: the config's.")
    ] = None,
    n_process: Annotated[
        str,
        typer.Option(
            "--n-process",
            help="Process counts to compare, e.g. 1,2: nlp.pipe(n_process=N), and newspipe "
            "extract -n N whole process (docs/s, speed-up, efficiency, peak memory).",
        ),
    ] = "1",
    engine_sizes: Annotated[
        str | None,
        typer.Option(
            "--engine-sizes",
            help="Corpus sizes for the newspipe extract runs, e.g. 2500,10000 (the first so "
            "many documents; default: all).",
            show_default=False,
        ),
    ] = None,
    engine_repeats: Annotated[
        int, typer.Option(help="Runs of newspipe extract per size and process count.")
    ] = 1,
    engine_only: Annotated[
        bool,
        typer.Option(
            "--engine-only",
            help="Only the newspipe extract runs (no per-stage, latency or subset timing).",
        ),
    ] = False,
    repeats: Annotated[int, typer.Option(help="Timed passes over the documents.")] = 5,
    warmup: Annotated[int, typer.Option(help="Untimed passes first.")] = 1,
    target: Annotated[
        list[str] | None,
        typer.Option(
            help="Stance target for documents that bring none; repeat it for several targets "
            "(each quote then gets a stance per target)."
        ),
    ] = None,
    text_field: TextField = "text",
    id_field: IdField = "id",
    target_field: TargetField = "target",
    split: SplitOption = None,
    memory: Annotated[
        bool, typer.Option(help="Measure peak memory (two fresh processes, one pass each).")
    ] = True,
    alternatives: Annotated[
        bool, typer.Option(help="Also time the stages' other registered backends.")
    ] = True,
    subsets: Annotated[
        bool,
        typer.Option(
            help="Also time stage subsets (entities only, sentences only, quotes) against "
            "the matching bare spaCy configuration."
        ),
    ] = True,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the figures as JSON here.")
    ] = None,
) -> None:
    """Benchmark the pipeline stage by stage against the bare spaCy model, in one run.

    Words are spaCy tokens (len(doc)), as `spacy benchmark speed` counts them. Dotted config
    overrides may follow, e.g. --components.sentences.factory newspipe_sentences_rules_v1.
    """
    names, override_args = split_overrides([*(inputs or []), *ctx.args], ctx)
    if not names:
        if not SEED.is_file():
            fail("no input given and the seed article is not installed")
        names = [str(SEED)]
    try:
        processes = parse_n_process(n_process)
    except ValueError as err:
        fail(f"--n-process: {err}")
    try:
        sizes = parse_n_process(engine_sizes) if engine_sizes is not None else []
    except ValueError as err:
        fail(f"--engine-sizes: {err}")
    if engine_only and max(processes) < 2:
        fail("--engine-only compares process counts: give --n-process 1,2")
    if repeats < 1 or warmup < 0 or engine_repeats < 1:
        fail("--repeats and --engine-repeats must be at least 1 and --warmup at least 0")
    if batch_size is not None and batch_size < 1:
        fail("--batch-size must be at least 1")
    check_output(output)
    fields = Fields(text=text_field, id=id_field, target=target_field)
    documents, problems = iter_documents(read_documents(names, fields=fields, split=split))
    for problem in problems:
        warn(problem_message(problem))
    if not documents:
        fail("no document to benchmark")
    overrides = config_overrides(override_args, target)
    errors = Console(stderr=True)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=errors,
        transient=True,
        disable=not errors.is_terminal,
    ) as bar:
        task = bar.add_task("loading the pipeline, checking the documents", total=None)

        last = ""

        def progress(description: str, done: int, total: int) -> None:
            nonlocal last
            bar.update(task, description=description, completed=done, total=total)
            if not errors.is_terminal and description != last:  # a log: one line per phase
                print(f"newspipe bench: {description} ({done}/{total})", file=sys.stderr)
                last = description

        try:
            report = run_bench(
                documents,
                config,
                overrides,
                batch_size=batch_size,
                n_process=processes,
                repeats=repeats,
                warmup=warmup,
                memory=memory,
                alternatives=alternatives,
                subsets=SUBSETS if subsets and not engine_only else (),
                progress=progress,
                engine_sizes=sizes,
                engine_repeats=engine_repeats,
                engine_only=engine_only,
            )
        except (PipelineError, ValueError) as err:
            fail(message(err))
    for line in report.skipped:
        warn(line)
    print_report(report, Console() if sys.stdout.isatty() else Console(width=120))
    if output is not None:
        write_text_atomic(output, json.dumps(report.to_dict(), indent=2) + "\n")
    if problems or report.skipped:
        raise typer.Exit(EXIT_BAD_INPUT)


def _number(value: float | None, digits: int = 0) -> str:
    if value is None or value != value or value in (float("inf"), float("-inf")):
        return "—"
    return f"{value:,.{digits}f}"


def _rate(value: float | None) -> str:
    """A words/s figure in 3 significant digits: 812, 5,180, 51.7k, 1.40M."""
    if value is None or value != value or value in (float("inf"), float("-inf")):
        return "—"
    if value >= 1e6:
        return f"{value / 1e6:.2f}M"
    if value >= 1e4:
        return f"{value / 1e3:.1f}k"
    return f"{value:,.0f}"


def _backend(row: Row) -> str:
    """``newspipe_sentences_pysbd_v1`` → ``pysbd_v1``; model components as they are."""
    parts = []
    for name in row.backend.split(" + "):
        found = backend(name)
        parts.append(found.short if found is not None else name)
    if row.kind in ("baseline", "pipeline") or (row.kind == "stage" and len(parts) > 2):
        return f"{len(parts)} components"
    return " + ".join(parts)


def _number_column(table: Table, header: str, cells: list[str], wrap_header: bool = False) -> None:
    """A right-aligned column as wide as its widest figure, never narrower: rich shrinks the
    text columns (which wrap) to fit the terminal, never a number. A header wider than the
    figures is written one word per line."""
    width = max((len(cell) for cell in cells), default=1)
    if wrap_header or len(header) > width:
        words = header.split()
        width = max(width, *(len(word) for word in words))
        header = "\n".join(words)
    table.add_column(header, justify="right", no_wrap=True, min_width=width)


def _components(names: list[str]) -> str:
    """Model components in a table cell: the names of one or two, else how many."""
    if not names:
        return "none (rules)"
    return " + ".join(names) if len(names) <= 2 else f"{len(names)} components"


def print_report(report: BenchReport, console: Console) -> None:
    """The speed table, the process scaling table and the verdict on the ratio."""
    machine = report.machine
    if not report.rows:  # the engine runs alone
        console.print(
            f"[bold]newspipe extract, whole process[/bold]; batch size {report.batch_size}; "
            f"{machine['cpu']}, {machine['cores']} cores, spaCy {machine['spacy']}"
        )
        _print_engine(report, console)
        return
    console.print(
        f"[bold]{report.docs} docs, {report.words:,} words[/bold] "
        f"(words = {report.words_definition}); batch size {report.batch_size}, "
        f"{report.repeats} timed passes after {report.warmup} warm-up; "
        f"{machine['cpu']}, {machine['cores']} cores, spaCy {machine['spacy']}"
    )
    speed = Table(title="Speed per stage: median words/s over batches, bootstrap 95% interval")
    cost = Table(title="Latency and memory per stage")
    names = [
        row.name if row.kind != "alternative" else f"  {row.name} (alt.)" for row in report.rows
    ]
    speed_cells = [
        (
            _rate(row.words_per_s.median),
            f"{_rate(row.words_per_s.low)}–{_rate(row.words_per_s.high)}",
            _number(row.ratio_to_spacy, 2),
            f"{row.share:.1%}" if row.share is not None else "",
        )
        for row in report.rows
    ]
    cost_cells = [
        (
            _number(row.docs_per_s.median, 1),
            _number(row.latency_ms_p50, 1),
            _number(row.latency_ms_p95, 1),
            _number(row.peak_rss_mb, 0),
        )
        for row in report.rows
    ]
    speed.add_column("row", ratio=1)
    for n, header in enumerate(("words/s", "95% interval", "× spaCy", "share")):
        _number_column(speed, header, [cells[n] for cells in speed_cells])
    cost.add_column("row", ratio=1)
    cost.add_column("backend", ratio=1)
    for n, header in enumerate(("docs/s", "p50 ms", "p95 ms", "MB")):
        _number_column(cost, header, [cells[n] for cells in cost_cells])
    for row, name, numbers, costs in zip(report.rows, names, speed_cells, cost_cells, strict=True):
        style = "bold" if row.kind in ("baseline", "pipeline") else None
        speed.add_row(name, *numbers, style=style)
        cost.add_row(name, _backend(row), *costs, style=style)
    console.print(speed)
    console.print(cost)
    shared = next((row.backend for row in report.rows if row.name == SHARED), "")
    console.print(
        f"[dim]model = the components every stage builds on ({shared}). p50/p95: latency of "
        "one document alone. share: of the pipeline's time. × spaCy: words/s over the bare "
        "model's. stages (sum): the stages timed one after another, which is what the stage rows "
        "add up to. MB: peak RSS of a fresh process (bare model, pipeline); for a stage, how far "
        "it pushed the peak above the memory in use. alt.: another backend of the stage, "
        "timed on copies of the same docs, not in the total.[/dim]"
    )
    if report.scaling:
        scaling = Table(title="Throughput with n processes (nlp.pipe n_process, words/s)")
        rows = [
            (
                str(item.n_process),
                _rate(item.spacy_words_per_s.median),
                _rate(item.pipeline_words_per_s.median),
                _number(item.ratio_to_spacy, 2),
                _number(item.speedup, 2),
            )
            for item in report.scaling
        ]
        headers = ("processes", BASELINE, PIPELINE, "ratio", "speed-up")
        for n, header in enumerate(headers):
            _number_column(scaling, header, [cells[n] for cells in rows], wrap_header=True)
        for cells in rows:
            scaling.add_row(*cells)
        console.print(scaling)
    _print_engine(report, console)
    if report.subsets:
        table = Table(title="Stage subsets against the matching bare spaCy (words/s, alternating)")
        for header in ("subset", "runs", "words/s", "95% interval", "bare spaCy runs"):
            table.add_column(
                header, justify="left" if "runs" in header or header == "subset" else "right"
            )
        table.add_column("words/s", justify="right")
        table.add_column("95% interval", justify="right")
        table.add_column("× spaCy", justify="right")
        table.add_column("95% interval", justify="right")
        for subset in report.subsets:
            table.add_row(
                subset.name,
                _components(subset.components),
                _rate(subset.words_per_s.median),
                f"{_rate(subset.words_per_s.low)}–{_rate(subset.words_per_s.high)}",
                _components(subset.bare_components),
                _rate(subset.spacy_words_per_s.median),
                f"{_rate(subset.spacy_words_per_s.low)}–{_rate(subset.spacy_words_per_s.high)}",
                _number(subset.ratio_to_spacy, 2),
                f"{_number(subset.ratios.low, 2)}–{_number(subset.ratios.high, 2)}",
            )
        console.print(table)
        console.print(
            "[dim]runs: the model components the subset enables (only what its stages read; "
            "the list is in --output). bare spaCy runs: the matching configuration of the "
            "bare model. Both run over the same batches in alternating order. × spaCy: the "
            "median over batches of the subset's words/s over the bare model's on the same "
            "batch, with its 95% interval.[/dim]"
        )
    ratio = report.ratio
    if ratio is not None:
        verdict = "[green]meets[/green]" if ratio >= GOAL_RATIO else "[red]below[/red]"
        console.print(
            f"pipeline / bare spaCy words/s: [bold]{ratio:.2f}[/bold] "
            f"({verdict} the goal of {GOAL_RATIO})"
        )
    for note in report.notes:
        console.print(f"note: {note}", style="yellow")


def _spread(low: float, high: float, digits: int = 0) -> str:
    return (
        _number(low, digits) if low == high else f"{_number(low, digits)}–{_number(high, digits)}"
    )


def _print_engine(report: BenchReport, console: Console) -> None:
    """The newspipe extract runs: speed and efficiency, then CPU and memory, per corpus size
    and N (two tables, so that each fits 80 columns)."""
    if not report.engine:
        return
    speed = Table(title="newspipe extract -n N, whole process (start-up included)")
    cost = Table(title="newspipe extract -n N: load, CPU and peak memory")
    speed_headers = ("docs", "N", "wall s", "docs/s", "words/s", "speed-up", "efficiency")
    cost_headers = (
        "docs", "N", "load", "CPU s", "main CPU s", "tree MB", "main MB", "worker MB",
        "same output",
    )  # fmt: skip
    speed_rows = [
        (
            f"{row.docs:,}",
            str(row.n_process),
            _spread(min(row.wall_s), max(row.wall_s), 1),
            _number(row.docs_per_s.median, 1),
            _rate(row.words_per_s.median),
            _number(row.speedup, 2),
            _number(row.efficiency, 2),
        )
        for row in report.engine
    ]
    cost_rows = [
        (
            f"{row.docs:,}",
            str(row.n_process),
            _spread(min(row.load), max(row.load), 1),
            _number(row.cpu_s.median, 1),
            _number(row.main_cpu_s.median, 1),
            _number(row.peak_tree_mb.median, 0),
            _number(row.peak_main_mb, 0),
            _number(row.peak_worker_mb, 0),
            "yes" if row.identical else "NO",
        )
        for row in report.engine
    ]
    for table, headers, rows in (
        (speed, speed_headers, speed_rows),
        (cost, cost_headers, cost_rows),
    ):
        for n, header in enumerate(headers):
            _number_column(table, header, [cells[n] for cells in rows], wrap_header=True)
        for cells in rows:
            table.add_row(*cells)
        console.print(table)
    capacity = ", ".join(f"{value:.2f}" for value in report.capacity)
    largest = max(row.n_process for row in report.engine)
    console.print(
        f"[dim]{report.engine[-1].command}. Each run in a fresh process tree; N runs in "
        "alternating order. docs/s and words/s: median over the repeats; wall s: the "
        "range over the repeats; speed-up: docs/s over N = 1's at the "
        "same size; efficiency: speed-up / N. CPU s: the whole tree's; main CPU s: the "
        "main process's. MB: peak RSS of the "
        "tree (summed, sampled every 0.1 s), of the main process, of the largest worker. "
        "same output: byte-identical to N = 1's. load: 1-minute load average before the run. "
        f"Parallel capacity (cores' worth {largest} busy processes got, before and after): "
        f"{capacity}.[/dim]"
    )
