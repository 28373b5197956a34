"""``newspipe sources``: who gets quoted across a corpus of extracted records.

Reads ``extract`` output (JSONL or Parquet; or gold files, whose quotes are then the gold
ones), builds the source table (:mod:`newspipe.pipeline.sources`), prints the largest sources
and the share of voice, and writes CSV, JSONL, JSON or HTML. With ``--gold`` it also scores
kind and referenced gender against the gold ``speakers`` layer (:mod:`newspipe.eval.sources`).
No spaCy model is loaded.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from newspipe.errors import EXIT_BAD_INPUT, fail, message, warn
from newspipe.eval.gold import GOLD_SUFFIXES, GoldError, gold_files, load_gold
from newspipe.pipeline.errors import PipelineError
from newspipe.pipeline.files import writable_output_problem, write_text_atomic
from newspipe.pipeline.sources.html import render_sources_page
from newspipe.pipeline.sources.read import RecordProblem, read_meta, read_records
from newspipe.pipeline.sources.table import PERIODS, SourceTable, build_source_table
from newspipe.pipeline.sources.write import TABLE_FORMATS, write_table

OUTPUT_FORMATS = (*TABLE_FORMATS, "html")


def _is_gold(path: Path) -> bool:
    if path.name.endswith(GOLD_SUFFIXES):
        return True
    return (
        path.is_dir()
        and not any(p.suffix.lower() in (".jsonl", ".parquet") for p in path.iterdir())
        and any(path.rglob("*.gold.*"))
    )


def _records(paths: list[Path], problems: list[str] | None = None) -> Iterator[dict[str, Any]]:
    """The records of every path (gold files as records); bad ones are skipped and, with
    ``problems``, reported there and on stderr."""
    seen: set[str] = set()

    def skip(problem: str) -> None:
        if problems is not None:
            problems.append(problem)
            warn(problem)

    for path in paths:
        if _is_gold(path):
            for gold_path in gold_files([path]):
                record = dict(load_gold(gold_path))
                if str(record["id"]) in seen:
                    skip(f"{gold_path}: id {record['id']} was read before; skipped")
                    continue
                seen.add(str(record["id"]))
                yield record
            continue
        for item in read_records([path]):
            if isinstance(item, RecordProblem):
                skip(str(item))
                continue
            if str(item["id"]) in seen:
                skip(f"{path}: id {item['id']} was read before; skipped")
                continue
            seen.add(str(item["id"]))
            yield item


def sources(
    records: Annotated[
        list[Path],
        typer.Argument(
            help="Records written by `newspipe extract` (.jsonl or .parquet files, or "
            "directories of them), or gold files / directories (their gold quotes are used).",
            show_default=False,
        ),
    ],
    output: Annotated[
        list[Path] | None,
        typer.Option(
            "--output",
            "-o",
            help="Write the table here (atomically), by suffix: .csv (one row per source), "
            ".jsonl (one JSON object per source), .json (sources, share of voice, merge "
            "decisions), .html (a page with the share of voice as charts, a timeline and the "
            "table). May be given more than once.",
        ),
    ] = None,
    by: Annotated[
        str | None,
        typer.Option(help="Split the table by this record (or --meta) field, e.g. an outlet."),
    ] = None,
    date_field: Annotated[
        str | None,
        typer.Option(help="Record (or --meta) field with the document's date: the timeline."),
    ] = None,
    period: Annotated[
        str, typer.Option(help="Timeline step: auto, day, week, month or year.")
    ] = "auto",
    meta: Annotated[
        Path | None,
        typer.Option(
            help="A .jsonl/.csv/.parquet table of document fields by id (the corpus given to "
            "extract), for --by and --date-field when the records lack them."
        ),
    ] = None,
    merge: Annotated[
        bool,
        typer.Option(
            "--merge/--no-merge",
            help="Merge forms of one name across documents (Berg / Ola Berg); "
            "--no-merge: only names written exactly alike are one source.",
        ),
    ] = True,
    min_confidence: Annotated[
        float | None,
        typer.Option(
            min=0.0,
            max=1.0,
            help="Leave out quotes whose confidence is lower (extract writes one on every "
            "quote and has already left out those below its own --min-confidence).",
        ),
    ] = None,
    gold: Annotated[
        list[Path] | None,
        typer.Option(
            help="Gold files or directories: score kind and referenced gender against their "
            "speakers layer (per speaker, and the merged table)."
        ),
    ] = None,
    top: Annotated[int, typer.Option(min=0, help="Sources printed in the terminal.")] = 15,
) -> None:
    """Who gets quoted: one row per source across the records — kind, referenced gender,
    quotes by type, documents, first and last document, stance per target — and the share of
    voice by kind, gender, stance and time. Reads saved records; loads no model.

    A bad record is reported on stderr and skipped; the exit code is then 2.
    """
    outputs = list(output or [])
    for i, path in enumerate(outputs):
        if (problem := writable_output_problem(path)) is not None:
            fail(f"{path}: {problem}")
        if any(_same_file(path, other) for other in outputs[:i]):
            fail(f"{path}: given twice as --output")
        if any(
            _same_file(path, given)
            for given in [*records, *(gold or []), *([meta] if meta else [])]
        ):
            fail(f"{path}: is one of the inputs; not overwritten")
    for path in outputs:
        suffix = path.suffix.lower().lstrip(".")
        if suffix not in OUTPUT_FORMATS:
            fail(f"--output must end in .{', .'.join(OUTPUT_FORMATS)}, not '{path.name}'")
    if period not in PERIODS:
        fail(f"--period must be {' or '.join(PERIODS)}, not '{period}'")
    problems: list[str] = []
    undated: list[str] = []
    first_pass = [True]

    def stream() -> Iterator[dict[str, Any]]:
        """The records, read afresh; problems are reported on the first reading only."""
        reported = problems if first_pass[0] else None
        first_pass[0] = False
        return _records(records, reported)

    try:
        fields = read_meta(meta) if meta is not None else None
        gold_records = [dict(load_gold(p)) for p in gold_files(gold)] if gold else []
        with _progress() as advance:
            table = build_source_table(
                stream,
                merge=merge,
                by=by,
                date_field=date_field,
                period=period,
                meta=fields,
                min_confidence=min_confidence,
                on_undated=lambda doc_id, value: undated.append(doc_id),
                on_record=advance,
            )
        if not table.summary["documents"]:
            fail("no record to read" + (f" ({problems[0]})" if problems else ""))
        evaluation = None
        if gold_records:
            from newspipe.eval.sources import evaluate_sources

            if not any("speakers" in g for g in gold_records):
                fail("the gold files have no speakers layer to score against")
            ids = {str(g["id"]) for g in gold_records}
            scored = [r for r in _records(records) if str(r["id"]) in ids]
            evaluation = evaluate_sources(scored, gold_records, table)
    except GoldError as err:
        fail(err.lines()[0])
    except PipelineError as err:
        fail(message(err))
    if undated:
        warn(
            f"{len(undated)} document(s) have no date in '{date_field}' (first: {undated[0]}); "
            "they are left out of the timeline"
        )
    for path in outputs:
        try:
            if path.suffix.lower() == ".html":
                write_text_atomic(path, render_sources_page(table))
            else:
                write_table(table, path, {"evaluation": evaluation} if evaluation else None)
        except OSError as err:
            fail(f"{path}: cannot write ({err.strerror or err})")
    console = Console()
    print_table(table, console, top)
    if evaluation is not None:
        print_evaluation(evaluation, console)
    if problems:
        raise typer.Exit(EXIT_BAD_INPUT)


def _same_file(a: Path, b: Path) -> bool:
    """Whether two paths name one file (through links too)."""
    try:
        return (a.exists() and b.exists() and a.samefile(b)) or a.resolve() == b.resolve()
    except OSError:
        return False


@contextmanager
def _progress() -> Iterator[Callable[[int, int], None]]:
    """A progress line on stderr while records are read (shown on a terminal only)."""
    console = Console(stderr=True)
    if not console.is_terminal:
        yield lambda _pass, _count: None
        return
    with console.status("reading records …") as status:

        def advance(pass_: int, count: int) -> None:
            if count % 100 == 0:
                what = "records read" if pass_ == 1 else "documents analysed again (corpus kinds)"
                status.update(f"{count} {what} …")

        yield advance


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else "—"


def print_table(table: SourceTable, console: Console, top: int) -> None:
    """The largest sources and the share of voice."""
    summary = table.summary
    console.print(
        f"{summary['documents']} documents, {summary['quotes']} quotes "
        f"({summary['unattributed_quotes']} without a speaker), {summary['sources']} distinct "
        f"sources in {summary['rows']} rows"
        + ("" if table.settings["merge"] else " (names not merged)")
    )
    if top:
        shown = Table(title=f"Sources (first {min(top, len(table.rows))} by quotes)")
        grouped = table.settings["by"] is not None
        if grouped:
            shown.add_column(escape(table.settings["by"]))
        for column in ("source", "kind", "gender", "quotes", "dir/ind/mix", "docs", "stance F/A/N"):
            shown.add_column(column, justify="right" if column in ("quotes", "docs") else "left")
        for row in sorted(table.rows, key=lambda r: -r.quotes)[:top]:
            stance = row.stance_totals()
            cells = [
                escape(row.name),
                row.kind,
                row.gender,
                str(row.quotes),
                f"{row.types['direct']}/{row.types['indirect']}/{row.types['mixed']}",
                str(len(row.documents)),
                f"{stance['FAVOR']}/{stance['AGAINST']}/{stance['NONE']}" if stance else "—",
            ]
            shown.add_row(*([escape(row.group or "")] if grouped else []), *cells)
        console.print(shown)
    voice = Table(title="Share of voice")
    voice.add_column("")
    voice.add_column("quotes", justify="right")
    voice.add_column("share", justify="right")
    voice.add_column("sources", justify="right")
    voice.add_column("share", justify="right")
    attributed = summary["attributed_quotes"]
    for title, key in (
        ("kind", "by_kind"),
        ("gender", "by_gender"),
        ("gender, people", "people_by_gender"),
    ):
        part = summary[key]
        quotes = sum(v["quotes"] for v in part.values())
        count = sum(v["sources"] for v in part.values())
        voice.add_section()
        for value, cells in part.items():
            voice.add_row(
                f"{title}: {value}",
                str(cells["quotes"]),
                _share(cells["quotes"], quotes or attributed),
                str(cells["sources"]),
                _share(cells["sources"], count),
            )
    console.print(voice)


def print_evaluation(evaluation: dict[str, Any], console: Console) -> None:
    """Kind and gender accuracy per speaker and of the merged table."""
    speakers, table = evaluation["speakers"], evaluation["table"]

    def value(x: float | None, ci: list[float] | None = None) -> str:
        if x is None:
            return "—"
        return f"{x:.3f}" + (f" [{ci[0]:.3f}–{ci[1]:.3f}]" if ci else "")

    console.print(
        f"Against the gold speakers layer: {speakers['matched_speakers']} of "
        f"{speakers['gold_speakers']} gold speakers matched by name "
        f"({speakers['predicted_speakers']} predicted)"
    )
    shown = Table(title="Per speaker (matched names)")
    shown.add_column("")
    shown.add_column("accuracy [95% CI]", justify="right")
    shown.add_column("majority baseline", justify="right")
    for name in ("kind", "gender"):
        data = speakers[name]
        shown.add_row(
            name,
            value(data["acc"], data["acc_ci"]),
            f"{value(data['majority_acc'])} ({data['majority']})",
        )
    console.print(shown)
    for name in ("kind", "gender"):
        per_label = speakers[name]["per_label"]
        console.print(
            f"  {name} P/R: "
            + "; ".join(
                f"{label} {value(v['p'])}/{value(v['r'])} ({v['support']})"
                for label, v in per_label.items()
                if v["support"] or v["predicted"]
            )
        )
    console.print(
        f"Merged table: {table['matched_gold_sources']} of {table['gold_sources']} gold sources "
        f"matched (R {value(table['sources_r'])}), rows P {value(table['sources_p'])}; kind "
        f"{value(table['kind_acc'])}, gender {value(table['gender_acc'])}, quote counts exact "
        f"{value(table['quotes_exact'])}, document counts exact {value(table['documents_exact'])}; "
        f"merge pairs P {value(table['merge_p'])} R {value(table['merge_r'])} "
        f"({table['merge_pairs_gold']} gold pairs)"
    )
    for error in speakers["errors"][:10]:
        console.print(
            f"  {escape(str(error['id']))}: {escape(error['name'])} gold {error['gold']}, "
            f"predicted {error['pred']} ({escape(error['why'])})",
            highlight=False,
        )
