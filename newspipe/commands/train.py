"""``newspipe train``: train a stage's model from labelled data."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from newspipe.errors import fail, message
from newspipe.pipeline.errors import PipelineError
from newspipe.pipeline.files import write_text_atomic
from newspipe.pipeline.stages import STANCE_LABELS
from newspipe.pipeline.stages.quotes.lexicons import RESOURCES

app = typer.Typer(
    help="Train a stage's model from labelled data.", no_args_is_help=True, rich_markup_mode=None
)


def _table(title: str, rows: dict[str, dict[str, Any]]) -> Table:
    """Cross-validated figures per data set; fits 80 columns: the data names wrap, the figures
    never shrink (their headers are written one word per line)."""
    table = Table(title=title)
    table.add_column("data", justify="left", ratio=1)
    figures = [
        (
            str(s["items"]),
            f"{s['macro_f1']:.3f}",
            f"{s['accuracy']:.3f}",
            *(f"{s['f1'][label]:.3f}" for label in STANCE_LABELS),
        )
        for s in rows.values()
    ]
    headers = ("items", "macro-F1", "accuracy", *(f"F1 {x}" for x in STANCE_LABELS))
    for n, header in enumerate(headers):
        words = header.split()
        width = max(len(word) for word in [*words, *(cells[n] for cells in figures)])
        table.add_column("\n".join(words), justify="right", no_wrap=True, min_width=width)
    for name, cells in zip(rows, figures, strict=True):
        table.add_row(name, *cells)
    return table


@app.command("stance")
def stance(
    data: Annotated[
        list[Path],
        typer.Argument(
            help="JSONL files of {text, target, label} (labels such as agree/for/"
            "favor/positive, disagree/against/negative, neutral/observing/none), and/or our "
            "gold: *.gold.yaml files or directories of them (each gold quote with its "
            "article's target; folds keep an article together)."
        ),
    ],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Model directory to write (created).")
    ],
    c: Annotated[float, typer.Option("--c", help="Inverse regularisation strength.")] = 3.0,
    folds: Annotated[
        int, typer.Option(help="Cross-validation folds; 0 or 1 to skip cross-validation.")
    ] = 5,
    group_by: Annotated[
        str,
        typer.Option(
            help="Field whose equal values stay in one fold (e.g. claim_id, target).",
        ),
    ] = "text",
    min_df: Annotated[int, typer.Option(help="Least documents a word must occur in.")] = 2,
    seed: Annotated[int, typer.Option(help="Seed of the fold split.")] = 0,
    embeddings: Annotated[
        bool,
        typer.Option(
            "--embeddings",
            help="Add all-MiniLM-L6-v2 sentence embeddings (needs the 'embeddings' extra; "
            "better on some data, much slower to tag).",
        ),
    ] = False,
    report: Annotated[
        Path | None, typer.Option(help="Also write the training report as JSON (atomically).")
    ] = None,
) -> None:
    """Train the stance model (newspipe_stance_model_v1) and save it with its data hash,
    settings and cross-validated scores; use it with
    --components.stance.factory newspipe_stance_model_v1 --components.stance.model DIR."""
    from newspipe.eval.datasets import DatasetError
    from newspipe.eval.stance_data import gold_stance_items, is_gold_path
    from newspipe.pipeline.stages.stance.model import save_stance_model
    from newspipe.pipeline.stages.stance.train import (
        TrainSettings,
        read_stance_data,
        train_stance_items,
    )

    settings = TrainSettings(
        c=c, folds=folds, seed=seed, min_df=min_df, group_by=group_by, embeddings=embeddings
    )
    console = Console()
    gold_paths = [path for path in data if is_gold_path(path)]
    jsonl_paths = [path for path in data if not is_gold_path(path)]
    try:
        items, files = read_stance_data(jsonl_paths, group_by) if jsonl_paths else ([], [])
        if gold_paths:
            gold_items, described = gold_stance_items(gold_paths)
            if not gold_items:
                fail(f"{described['path']}: no gold quote with a stance (and a target)")
            items, files = [*items, *gold_items], [*files, described]
        with console.status("cross-validating and training…"):
            model, result = train_stance_items(items, files, settings)
        save_stance_model(model, output)
    except (PipelineError, DatasetError) as err:
        fail(message(err))
    except OSError as err:
        fail(f"{output}: cannot write the model ({err.strerror or err})")
    if report is not None:
        write_text_atomic(report, json.dumps(result, indent=2) + "\n")
    training = result["training"]
    console.print(
        f"trained on {training['items']} items ({training['features']} features), "
        f"data sha256 {training['data_sha256'][:16]}…"
    )
    evaluation = result["cross_validation"]
    if evaluation is not None:
        sources = evaluation["by_source"]
        rows = {"all": evaluation, **sources} if len(sources) > 1 else sources
        console.print(
            _table(
                f"{evaluation['folds']}-fold cross-validation, "
                f"grouped by {evaluation['grouped_by']} "
                f"(fold macro-F1 {evaluation['fold_macro_f1_mean']:.3f} "
                f"± {evaluation['fold_macro_f1_sd']:.3f})",
                rows,
            )
        )
    console.print(f"model written to {output}")


@app.command("quotes")
def quotes(
    data: Annotated[
        Path,
        typer.Argument(
            help="PolNeAR-style JSONL: text and quotes (content, cue, … as [start, end]), e.g. "
            "../shared/data/polnear/polnear_train.jsonl."
        ),
    ],
    convention: Annotated[
        str,
        typer.Option(
            help="polnear: the PARC judge (quote_model.json) and the cue lexicon "
            "(cue_lexicon.tsv) from DATA; newspipe: the newsroom judge (quote_judge.json) from "
            "the gold set and DATA's speech and writing attributions."
        ),
    ] = "polnear",
    gold: Annotated[
        list[Path] | None,
        typer.Option(help="newspipe: gold files or folders (default: gold/)."),
    ] = None,
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="Directory to write the files into (default: the packaged resources, replaced).",
        ),
    ] = RESOURCES,
    cache: Annotated[
        Path | None, typer.Option(help="Directory that keeps the parses for the next run.")
    ] = None,
    min_count: Annotated[
        int, typer.Option(min=1, help="polnear: least occurrences of a cue lexicon row.")
    ] = 3,
    c: Annotated[float, typer.Option("--c", help="Inverse regularisation strength.")] = 0.3,
    threshold: Annotated[
        float | None,
        typer.Option(
            min=0.0,
            max=1.0,
            help="Decision threshold to store (default: the best out-of-fold F1 of the quotes "
            "found end to end).",
        ),
    ] = None,
    folds: Annotated[int, typer.Option(min=2, help="Cross-validation folds (by article).")] = 5,
    gold_weight: Annotated[
        float, typer.Option(help="newspipe: weight of a gold candidate against a PolNeAR one.")
    ] = 5.0,
    report: Annotated[
        Path | None, typer.Option(help="Also write the training report as JSON (atomically).")
    ] = None,
    oof: Annotated[
        Path | None,
        typer.Option(
            help="newspipe: write the out-of-fold records (each gold article extracted by the "
            "judge of the folds it was not in) as JSONL, for newspipe score --pred."
        ),
    ] = None,
) -> None:
    """Train a judge of the quote stage, cross-validated by article. polnear (the default)
    writes quote_model.json and cue_lexicon.tsv; newspipe writes quote_judge.json, with its
    threshold chosen on the out-of-fold gold figures, calibrated, and a reliability table in
    the report. Models are plain JSON."""
    from newspipe.eval.quote_judge import (  # scikit-learn: only here
        JudgeSettings,
        train_newspipe_judge,
        train_parc_judge,
    )

    if convention not in ("newspipe", "polnear"):
        fail(f"unknown quote convention '{convention}' (known: newspipe, polnear)")
    if not data.is_file():
        fail(f"{data}: cannot read training data (not found)")
    settings = JudgeSettings(c=c, gold_weight=gold_weight, folds=folds, threshold=threshold)
    console = Console(stderr=True)
    try:
        if cache is not None:
            cache.mkdir(parents=True, exist_ok=True)
        with console.status("parsing and training…") as status:

            def progress(line: str) -> None:
                status.update(line)

            if convention == "newspipe":
                model, result = train_newspipe_judge(
                    gold or [Path("gold")], data, settings, cache, progress
                )
                files = {"quote_judge.json": json.dumps(model, indent=0, sort_keys=True)}
            else:
                model, result, lexicon = train_parc_judge(
                    data, settings, cache, progress, min_count=min_count
                )
                files = {
                    "quote_model.json": json.dumps(model, indent=0, sort_keys=True),
                    "cue_lexicon.tsv": lexicon,
                }
        output.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            write_text_atomic(output / name, text if text.endswith("\n") else text + "\n")
    except PipelineError as err:
        fail(message(err))
    except OSError as err:
        fail(f"{output}: cannot write the model ({err.strerror or err})")
    records = result.pop("out_of_fold_records", None)
    if oof is not None and records is not None:
        write_text_atomic(oof, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
    if report is not None:
        write_text_atomic(report, json.dumps(result, indent=2) + "\n")
    shown = {
        k: v for k, v in result.items() if k not in ("out_of_fold_by_threshold", "reliability")
    }
    print(json.dumps(shown, indent=2))
    console.print(f"written to {output}: {', '.join(files)}")
