"""``newspipe gold``: validate, show, import and export hand-written gold annotations."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.table import Table

from newspipe.errors import fail, gold_advice, warn
from newspipe.eval.agree import agreement
from newspipe.eval.formats.brat import (
    brat_paths,
    read_brat,
    record_file_name,
    write_annotation_conf,
    write_brat,
)
from newspipe.eval.formats.conll import write_conll
from newspipe.eval.formats.docbin import read_docbin, write_docbin
from newspipe.eval.gold import (
    GOLD_SUFFIXES,
    GoldError,
    gold_files,
    gold_yaml,
    layer_counts,
    load_gold,
    relative_path,
    total_counts,
    validate_gold,
)
from newspipe.eval.scorers.bootstrap import DEFAULT_SEED
from newspipe.eval.scorers.matching import DEFAULT_OVERLAP
from newspipe.options import check_output
from newspipe.pipeline.files import atomic_writer, write_text_atomic
from newspipe.pipeline.records import Record

app = typer.Typer(
    help="Gold annotations: validate them, show them as records, convert brat and DocBin.",
    no_args_is_help=True,
    rich_markup_mode=None,
)

IMPORT_FORMATS = ("brat", "docbin")
EXPORT_FORMATS = ("brat", "docbin", "conll")

GoldRoot = Annotated[
    list[Path] | None,
    typer.Option(
        "--gold-root",
        help="Also allow articles (text_file) under this folder; by default a gold file's "
        "article must lie in its gold tree (the nearest folder above it holding "
        "pyproject.toml or .git, else its own folder). Repeatable.",
        show_default=False,
    ),
]


def _fail_with(err: GoldError) -> NoReturn:
    """Print every problem of ``err`` on stderr, one line each, and exit with code 2."""
    lines = [gold_advice(line) for line in err.lines()]
    if len(lines) == 1:
        fail(lines[0])
    for line in lines:
        print(line, file=sys.stderr)
    fail(f"{len(lines)} problems")


def summary(counts: dict[str, Any]) -> str:
    """One line of layer counts, e.g. ``3 sentences, 5 entities (PERSON 3, GPE 2), …``."""

    def detail(values: dict[str, int]) -> str:
        return (
            f" ({', '.join(f'{key} {value}' for key, value in values.items())})" if values else ""
        )

    stance = counts["stance_per_label"]
    return (
        f"{counts['sentences']} sentences, "
        f"{counts['entities']} entities{detail(counts['entities_per_label'])}, "
        f"{counts['quotes']} quotes{detail(counts['quotes_per_type'])}"
        + (f", stance{detail(stance)}" if stance else "")
        + (
            f", speakers{detail(counts['speakers_per_kind'])}"
            f"{detail(counts['speakers_per_gender'])}"
            if counts.get("speakers_per_kind")
            else ""
        )
    )


@app.command()
def validate(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Gold files, or directories of *.gold.yaml / *.gold.json files."),
    ],
    gold_root: GoldRoot = None,
) -> None:
    """Check gold files; print every problem, one line each (exit 2), or the counts.

    Every span must resolve to the article text, labels, types and stance values must be in
    the scheme of gold/GUIDELINES.md, and no layer may hold duplicate or crossing spans. The
    id must be usable as a file name, and the article must lie in the gold tree.
    """
    try:
        checks = validate_gold(paths, gold_root or ())
    except GoldError as err:
        _fail_with(err)
    bad = [check for check in checks if check.problems]
    for check in checks:
        if check.record is not None:
            print(f"{check.path}: OK, {summary(layer_counts(check.record))}")
        for line in check.problems:
            print(gold_advice(line))
    if bad:
        count = sum(len(check.problems) for check in bad)
        fail(f"{count} problem(s) in {len(bad)} of {len(checks)} gold file(s)")
    if len(checks) > 1:
        print(f"{len(checks)} gold files OK: {summary(total_counts(c.record for c in checks))}")


@app.command()
def show(
    path: Annotated[Path, typer.Argument(help="One gold file.")],
    indent: Annotated[
        int | None, typer.Option(help="Indent the JSON by this many spaces (default: one line).")
    ] = None,
    gold_root: GoldRoot = None,
) -> None:
    """Print a gold file as one JSON record in the extract output contract.

    The record holds id, text, target, sentences, entities and quotes, with character
    offsets into the text, end exclusive.
    """
    if path.is_dir():
        fail(f"{path}: give one gold file, not a directory")
    try:
        record = load_gold(path, gold_root or ())
    except GoldError as err:
        _fail_with(err)
    print(json.dumps(record, ensure_ascii=False, indent=indent))


def _gold_name(record: Record) -> str:
    """``<id>.gold.yaml``, if the id can be a file name."""
    return f"{record_file_name(record)}{GOLD_SUFFIXES[0]}"


def _write_text_once(path: Path, text: str) -> None:
    """Write an article text, refusing to replace a different existing one."""
    if path.exists():
        if path.read_bytes() != text.encode("utf-8"):
            fail(f"{path}: exists with other content; not overwritten")
        return
    with atomic_writer(path, "wb") as handle:
        handle.write(text.encode("utf-8"))


def _write_gold(record: Record, output: Path, text_path: Path) -> None:
    text_file = relative_path(text_path, output.parent)
    write_text_atomic(output, gold_yaml(record, text_file, source=str(output)))
    print(f"wrote {output}: {summary(layer_counts(record))}")


@app.command("import")
def import_gold(
    src: Annotated[
        Path,
        typer.Argument(
            help="brat: x.ann or x.txt (both must exist), or a directory of them (as gold "
            "export writes it); docbin: a .spacy file."
        ),
    ],
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="The .gold.yaml file to write, or a directory for several (created for a "
            "brat directory).",
        ),
    ],
    input_format: Annotated[
        str, typer.Option("--format", help=f"One of: {', '.join(IMPORT_FORMATS)}.")
    ] = "brat",
    doc_id: Annotated[
        str | None, typer.Option("--id", help="Document id (default: the source's stem).")
    ] = None,
) -> None:
    """Turn brat standoff or a spaCy DocBin into human-writable gold YAML.

    The gold file refers to the article text: for brat, the source's .txt file; for a DocBin,
    an <id>.txt written beside the gold file. The YAML is checked to resolve back to exactly
    the imported annotations before it is written; from a brat directory, nothing is written
    unless every document imports.
    """
    if input_format not in IMPORT_FORMATS:
        fail(f"--format must be one of {', '.join(IMPORT_FORMATS)}, not '{input_format}'")
    if input_format == "brat" and src.is_dir():
        _import_brat_directory(src, output, doc_id)
        return
    into_directory = output.is_dir()
    parent = output if into_directory else output.parent
    if not parent.is_dir():
        fail(f"{output}: output directory does not exist")
    try:
        if input_format == "brat":
            record = read_brat(src, doc_id)
            target = output / _gold_name(record) if into_directory else output
            _write_gold(record, target, brat_paths(src)[0])
            return
        records = read_docbin(src)
        if doc_id is not None and len(records) == 1:
            records[0]["id"] = doc_id
        if not into_directory and len(records) != 1:
            fail(f"{src} holds {len(records)} documents; give a directory as --output")
        for record in records:
            target = output / _gold_name(record) if into_directory else output
            text_path = target.parent / f"{record_file_name(record)}.txt"
            _write_text_once(text_path, record["text"])
            _write_gold(record, target, text_path)
    except GoldError as err:
        _fail_with(err)


def _import_brat_directory(src: Path, output: Path, doc_id: str | None) -> None:
    """Every ``<id>.ann`` of ``src`` (with its ``<id>.txt``; ``annotation.conf`` and other
    files are left alone) to ``<id>.gold.yaml`` in the directory ``output``, or to the file
    ``output`` when there is one document."""
    documents = sorted(src.glob("*.ann"))
    if not documents:
        fail(f"{src}: no brat documents (*.ann) in this directory")
    if doc_id is not None and len(documents) > 1:
        fail(f"--id names one document, and {src} holds {len(documents)}")
    one_file = len(documents) == 1 and output.suffix in (".yaml", ".yml", ".json")
    if not one_file:
        if output.exists() and not output.is_dir():
            fail(f"{output}: {src} holds {len(documents)} documents; give a directory")
        if not output.absolute().parent.is_dir():
            fail(f"{output}: parent directory does not exist")
    elif not output.absolute().parent.is_dir():
        fail(f"{output}: output directory does not exist")
    records: list[tuple[Record, Path]] = []
    problems: list[str] = []
    for ann in documents:
        try:
            records.append((read_brat(ann, doc_id), brat_paths(ann)[0]))
        except GoldError as err:
            problems += err.lines()
    if problems:
        for line in problems:
            print(line, file=sys.stderr)
        fail(f"{len(problems)} problem(s) in {src}; nothing written")
    if not one_file:
        output.mkdir(exist_ok=True)
    for record, text_path in records:
        target = output if one_file else output / _gold_name(record)
        try:
            _write_gold(record, target, text_path)
        except GoldError as err:
            _fail_with(err)


@app.command()
def export(
    paths: Annotated[list[Path], typer.Argument(help="Gold files or directories of them.")],
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="brat: a directory (created); docbin: the .spacy file; conll: the text file.",
        ),
    ],
    output_format: Annotated[
        str, typer.Option("--format", help=f"One of: {', '.join(EXPORT_FORMATS)}.")
    ] = "brat",
    gold_root: GoldRoot = None,
) -> None:
    """Write gold files as brat standoff, as one spaCy DocBin or as one CoNLL-2003 file.

    brat: <id>.txt, <id>.ann and annotation.conf in the output directory. DocBin: one .spacy
    file in the scheme described in eval/formats/docbin.py. CoNLL: entities only, mapped to
    PER/LOC/ORG/MISC (eval/formats/conll.py), for `newspipe score --dataset conll:FILE`.
    Nothing is written if any gold file has a problem.
    """
    if output_format not in EXPORT_FORMATS:
        fail(f"--format must be one of {', '.join(EXPORT_FORMATS)}, not '{output_format}'")
    if not output.parent.is_dir():
        fail(f"{output}: parent directory does not exist")
    if output_format in ("docbin", "conll"):  # one file each
        check_output(output)
    records = _load_all(paths, "nothing written", gold_root or ())
    try:
        if output_format == "docbin":
            write_docbin(records, output)
        elif output_format == "conll":
            write_conll(records, output)
        else:
            if output.exists() and not output.is_dir():
                fail(f"{output}: brat output must be a directory")
            for record in records:  # every id checked before anything is written
                record_file_name(record)
            for record in records:
                write_brat(record, output)
            write_annotation_conf(output)
    except GoldError as err:
        _fail_with(err)
    print(f"wrote {len(records)} document(s) to {output} ({output_format})")


def _load_all(
    paths: list[Path], consequence: str, roots: Sequence[Path] = ()
) -> list[Record]:
    """Every gold file under ``paths`` as a record; on any problem, all of them and exit 2."""
    records: list[Record] = []
    problems: list[str] = []
    try:
        for path in gold_files(paths):
            try:
                records.append(load_gold(path, roots))
            except GoldError as err:
                problems += err.lines()
    except GoldError as err:
        _fail_with(err)
    if problems:
        for line in problems:
            print(gold_advice(line), file=sys.stderr)
        fail(f"{len(problems)} problem(s); {consequence}")
    return records


def _figure(value: Any) -> str:
    return "–" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)


AGREEMENT_ROWS: tuple[tuple[str, str, str], ...] = (
    ("sentences", "boundary F1", "sents_f"),
    ("entities", "strict F1", "ents_f"),
    ("quotes", "content F1 (overlap)", "quotes_f"),
    ("quotes", "content F1 (exact)", "quotes_exact_f"),
    ("quotes", "matched quotes", "quotes_matched"),
    ("quotes", "cue agreement", "cue_acc"),
    ("quotes", "speaker mention agreement", "speaker_acc"),
    ("quotes", "canonical speaker agreement", "speaker_name_acc"),
    ("quotes", "type agreement", "quote_type_acc"),
    ("stance", "quotes with both labels", "stance_n"),
    ("stance", "agreement", "stance_acc"),
    ("stance", "macro-F1 (B vs A)", "stance_macro_f"),
    ("stance", "Cohen's kappa", "stance_kappa"),
    ("speakers", "names listed by both", "speakers_shared"),
    ("speakers", "kind agreement", "speaker_kind_agree"),
    ("speakers", "kind kappa", "speaker_kind_kappa"),
    ("speakers", "gender agreement", "speaker_gender_agree"),
    ("speakers", "gender kappa", "speaker_gender_kappa"),
)
"""Rows of the agreement table: layer, measure, metric key."""


@app.command()
def agree(
    first: Annotated[Path, typer.Argument(help="Annotator A: a gold file or a directory.")],
    second: Annotated[Path, typer.Argument(help="Annotator B: a gold file or a directory.")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Also write the figures as JSON.")
    ] = None,
    overlap: Annotated[
        float, typer.Option(min=0.0, max=1.0, help="Quote match threshold, as in score.")
    ] = DEFAULT_OVERLAP,
    bootstrap: Annotated[
        int, typer.Option(min=0, help="Resamples over documents for 95% intervals (0: none).")
    ] = 1000,
    seed: Annotated[int, typer.Option(help="Seed of the resampling.")] = DEFAULT_SEED,
    differences: Annotated[
        int,
        typer.Option(
            min=0, help="Print up to this many disagreements per layer, in context (JSON: all)."
        ),
    ] = 0,
    gold_root: GoldRoot = None,
) -> None:
    """Inter-annotator agreement per layer, with the matching of `newspipe score`.

    Documents are paired by id. Sentences: boundary F1; entities: strict F1; quotes: content
    F1 under overlap matching, then cue, speaker and canonical-speaker agreement over matched
    quotes; stance: agreement, macro-F1 and Cohen's kappa over matched quotes; speakers:
    agreement and kappa of kind and referenced gender over names both list.
    """
    check_output(output)
    records_a = _load_all([first], "no agreement computed", gold_root or ())
    records_b = _load_all([second], "no agreement computed", gold_root or ())
    try:
        result = agreement(records_a, records_b, overlap=overlap, bootstrap=bootstrap, seed=seed)
    except ValueError as err:
        fail(str(err))
    if not result["documents"]:
        fail(f"{first} and {second} share no document id")
    metrics = result["metrics"]
    table = Table(
        title=f"Agreement of {second} with {first} ({len(result['documents'])} documents)"
    )
    for column in ("layer", "measure", "value", "95% interval"):
        table.add_column(column, justify="right" if column in ("value",) else "left")
    for layer, measure, key in AGREEMENT_ROWS:
        ci = metrics.get(f"{key}_ci")
        table.add_row(
            layer,
            measure,
            _figure(metrics.get(key)),
            f"{ci[0]:.3f}–{ci[1]:.3f}" if ci else "",
        )
    console = Console()
    console.print(table)
    if len(result["documents"]) > 1:
        per_doc = Table(title="Per document")
        for column in ("document", "sents F1", "ents F1", "quotes A/B", "quotes F1", "stance agr."):
            per_doc.add_column(column, justify="left" if column == "document" else "right")
        for doc_id, row in result["per_document"].items():
            per_doc.add_row(
                doc_id,
                _figure(row["sents_f"]),
                _figure(row["ents_f"]),
                f"{row['quotes_a']}/{row['quotes_b']}",
                _figure(row["quotes_f"]),
                _figure(row["stance_acc"]),
            )
        console.print(per_doc)
    for layer, found in result["differences"].items() if differences else ():
        print(f"\n{layer}: {len(found)} disagreement(s)")
        for item in found[:differences]:
            before, span, after = item["context"]
            print(
                f"  {item['id']}: {item['kind']}: …{before}[{span}]{after}… "
                f"(A: {_figure(item['a'])}; B: {_figure(item['b'])})"
            )
    for side, ids in (("A", result["only_in_a"]), ("B", result["only_in_b"])):
        if ids:
            warn(f"only annotator {side} has {len(ids)} document(s): {', '.join(ids)}")
    if output is not None:
        write_text_atomic(output, json.dumps(result, ensure_ascii=False, indent=1) + "\n")
        print(f"wrote {output}")
