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

app = typer.Typer(help="Train a stage's model from labelled data.", no_args_is_help=True)


def _table(title: str, rows: dict[str, dict[str, Any]]) -> Table:
    table = Table(title=title)
    for column in ("data", "items", "macro-F1", "accuracy", *(f"F1 {x}" for x in STANCE_LABELS)):
        if column == "data":
            table.add_column(column, justify="left", no_wrap=True, min_width=22)
        else:
            table.add_column(column, justify="right")
    for name, s in rows.items():
        table.add_row(
            name,
            str(s["items"]),
            f"{s['macro_f1']:.3f}",
            f"{s['accuracy']:.3f}",
            *(f"{s['f1'][label]:.3f}" for label in STANCE_LABELS),
        )
    return table


@app.command("quotes")
def quotes(
    data: Annotated[
        Path,
        typer.Argument(
            help="PolNeAR-style JSONL: text and quotes (content, cue, … as [start, end])."
        ),
    ],
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="Directory for cue_lexicon.tsv and quote_model.json (default: the packaged "
            "resources, replaced).",
        ),
    ] = RESOURCES,
    cache: Annotated[
        Path | None, typer.Option(help="DocBin file that keeps the parses for the next run.")
    ] = None,
    min_count: Annotated[
        int, typer.Option(min=1, help="Least occurrences of a cue lexicon row.")
    ] = 3,
    c: Annotated[float, typer.Option("--c", help="Inverse regularisation strength.")] = 0.3,
    threshold: Annotated[
        float | None,
        typer.Option(
            help="Decision threshold to store (default: the best cross-validated candidate "
            "F1; end-to-end F1 favours a lower one, as overlapping candidates are pruned)."
        ),
    ] = None,
) -> None:
    """Count the quote stage's cue lexicon (rules backend) and train its candidate classifier
    (hybrid backend) on PolNeAR-style data; the packaged files were made with
    --threshold 0.26."""
    from newspipe.pipeline.stages.quotes.train import train_quotes  # scikit-learn: only here

    console = Console(stderr=True)
    try:
        with console.status("parsing and training…"):
            summary = train_quotes(
                data, output, cache=cache, min_count=min_count, c=c, threshold=threshold
            )
    except PipelineError as err:
        fail(message(err))
    print(json.dumps(summary, indent=2))


@app.command("stance")
def stance(
    data: Annotated[
        list[Path],
        typer.Argument(
            help="JSONL files of {text, target, label} (labels such as agree/for/"
            "favor/positive, disagree/against/negative, neutral/observing/none)."
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
    from newspipe.pipeline.stages.stance.model import save_stance_model
    from newspipe.pipeline.stages.stance.train import TrainSettings, train_stance

    settings = TrainSettings(
        c=c, folds=folds, seed=seed, min_df=min_df, group_by=group_by, embeddings=embeddings
    )
    console = Console()
    try:
        with console.status("cross-validating and training…"):
            model, result = train_stance(data, settings)
        save_stance_model(model, output)
    except PipelineError as err:
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
        rows = (
            {"all": evaluation, **evaluation["by_source"]}
            if len(data) > 1
            else {data[0].name: evaluation}
        )
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
