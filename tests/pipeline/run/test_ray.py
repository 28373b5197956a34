"""The Ray Data engine on a local Ray instance with 2 actors: the same records as the local
engine, a malformed line reported and skipped. Skipped when Ray is not installed (CI installs
it through the test extra)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from spacy.language import Language

from newspipe.pipeline.run.documents import Document, InputProblem
from newspipe.pipeline.run.extract import extract_records
from newspipe.pipeline.run.readers import read_documents
from newspipe.pipeline.run.writers import read_records

ray = pytest.importorskip("ray")
from newspipe.pipeline.run.engine import Callbacks, RunSettings  # noqa: E402
from newspipe.pipeline.run.ray import input_kind, run_ray  # noqa: E402

pytestmark = pytest.mark.model
ROOT = Path(__file__).resolve().parents[3]

TEXTS = [
    "Ana Ruiz said on Monday that the budget would be cut.",
    '"We will not accept this," the union leader told reporters.',
    "Officials said the road was closed after the storm, and would reopen on Friday.",
    "The minister denied that talks had stalled.",
    "Prices rose sharply in May, the central bank said.",
]


@pytest.fixture(scope="module")
def local_ray() -> Iterator[None]:
    """One local Ray instance (2 actors + room for read/write tasks) for the module."""
    before = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join(  # actors import this checkout's packages
        p for p in (str(ROOT), before) if p
    )
    ray.init(num_cpus=3, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()
    if before is None:  # other tests start subprocesses: leave the environment as it was
        del os.environ["PYTHONPATH"]
    else:
        os.environ["PYTHONPATH"] = before


def local_records(nlp: Language, corpus: Path) -> list[dict[str, Any]]:
    results = extract_records(nlp, read_documents([str(corpus)]), batch_size=4)
    return [r for r in results if isinstance(r, dict)]


def ray_records(directory: Path, fmt: str) -> list[dict[str, Any]]:
    suffix = ".parquet" if fmt == "parquet" else ".json"
    records = [r for f in sorted(directory.glob(f"*{suffix}")) for r in read_records(f, fmt)]
    return sorted(records, key=lambda r: r["id"])


def test_ray_job_gives_the_local_records_and_reports_bad_lines(
    nlp: Language, local_ray: None, tmp_path: Path
) -> None:
    corpus = tmp_path / "news.jsonl"
    lines = [
        json.dumps({"id": f"r{i}", "text": t, "target": "the budget"})
        for i, t in enumerate(TEXTS * 2)
    ]
    lines.insert(4, '{"id": "broken", "text": ')
    corpus.write_text("\n".join(lines) + "\n")
    out = tmp_path / "out.parquet"
    problems: list[InputProblem] = []
    settings = RunSettings(fmt="parquet", workers=2, batch_size=3)
    summary = run_ray([str(corpus)], str(out), settings, Callbacks(problem=problems.append))
    expected = sorted(local_records(nlp, corpus), key=lambda r: r["id"])
    assert len(expected) == 10
    assert ray_records(out, "parquet") == expected
    assert (summary.written, summary.problems) == (10, 1)
    assert [(p.source, p.message.split(" (")[0]) for p in problems] == [
        (str(corpus), "malformed JSON")
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["news.jsonl", "out.parquet"]


def test_ray_job_reads_parquet_and_writes_jsonl(
    nlp: Language, local_ray: None, tmp_path: Path
) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    corpus = tmp_path / "news.parquet"
    pq.write_table(pa.table({"key": [f"p{i}" for i in range(5)], "body": TEXTS}), corpus)
    from newspipe.pipeline.run.documents import Fields

    fields = Fields(text="body", id="key")
    out = tmp_path / "out"
    out.mkdir()
    (out / "stale.json").write_text("{}\n")  # an old output directory is replaced
    settings = RunSettings(fmt="jsonl", fields=fields, workers=2)
    summary = run_ray([str(corpus)], str(out), settings)
    documents = [d for d in read_documents([str(corpus)], fields=fields) if isinstance(d, Document)]
    expected = [r for r in extract_records(nlp, documents) if isinstance(r, dict)]
    assert summary.problems == 0
    assert not (out / "stale.json").exists()
    assert ray_records(out, "jsonl") == sorted(expected, key=lambda r: r["id"])


def test_input_kinds(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_text("")
    (tmp_path / "b.csv").write_text("")
    (tmp_path / "a.txt").write_text("")
    assert input_kind([str(tmp_path / "a.jsonl")]) == "jsonl"
    assert input_kind(["s3://bucket/corpus.parquet"]) == "parquet"
    (tmp_path / "parts").mkdir()
    (tmp_path / "parts" / "p0.parquet").write_bytes(b"")
    assert input_kind([f"file://{tmp_path / 'parts'}"]) == "parquet"
    from newspipe.pipeline.errors import PipelineError

    with pytest.raises(PipelineError, match="mix file kinds"):
        input_kind([str(tmp_path)])
    with pytest.raises(PipelineError, match=r"reads \.parquet, \.csv or \.jsonl"):
        input_kind([str(tmp_path / "a.txt")])
