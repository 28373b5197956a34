"""Fuzz tests (issue #17): whatever bytes an input file holds — random bytes, truncated lines,
lone surrogates in JSON escapes or in a text stream — the readers give documents or one-line
problems, never an exception; and a document they give can always be written as UTF-8.
Bounded to a few seconds (``max_examples``); CSV and Parquet go through ``datasets``, which is
slower, so they get fewer examples."""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newspipe.pipeline.run.documents import Document, InputProblem
from newspipe.pipeline.run.readers import read_documents

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])

SURROGATES = st.sampled_from(["\\ud800", "\\udc00", "\\udfff", "\\ud83d"])
"""JSON escapes that decode to a lone surrogate (a string no UTF-8 file can hold)."""


def _json_line(draw: st.DrawFn) -> str:
    """A JSONL line that is valid, cut short, or holds lone surrogates."""
    value = st.one_of(
        st.text(max_size=30),
        st.integers(),
        st.none(),
        st.builds(lambda s, e: f"x{e}{s}", st.text(max_size=5), SURROGATES),
    )
    record = draw(st.dictionaries(st.sampled_from(["id", "text", "target", "x"]), value))
    line = json.dumps(record)
    for key in ("id", "text", "target"):  # a raw escape json.dumps would not write
        if key in record and draw(st.booleans()):
            line = line.replace(f'"{key}": ', f'"{key}": "{draw(SURROGATES)}", "_{key}": ', 1)
    if draw(st.booleans()):
        line = line[: draw(st.integers(0, len(line)))]  # truncated
    return line


json_lines = st.composite(_json_line)


def check(items: list[object]) -> None:
    for item in items:
        assert isinstance(item, Document | InputProblem), item
        if isinstance(item, Document):  # what is given can be written
            item.id.encode("utf-8")
            item.text.encode("utf-8")
            if item.target is not None:
                item.target.encode("utf-8")
        else:
            assert "\n" not in str(item)  # one line


def read(name: str, data: bytes, stdin: object = None) -> list[object]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        target = str(path.parent if name.endswith("/a.txt") else path)
        return list(read_documents([target], stdin))  # type: ignore[arg-type]


@FAST
@given(st.lists(json_lines(), max_size=6), st.binary(max_size=40))
def test_jsonl_files_of_any_content(lines: list[str], noise: bytes) -> None:
    data = "\n".join(lines).encode("utf-8") + noise
    check(read("c.jsonl", data))


@FAST
@given(st.binary(max_size=200))
def test_text_files_and_directories_of_random_bytes(data: bytes) -> None:
    check(read("a.txt", data))
    check(read("d/a.txt", data))


@FAST
@given(st.one_of(st.text(max_size=80), st.lists(json_lines(), max_size=4).map("\n".join)))
def test_stdin_of_any_text_surrogates_included(text: str) -> None:
    check(list(read_documents(["-"], io.StringIO(text))))
    escaped = text.encode("utf-8", "surrogatepass")
    check(list(read_documents(["-"], io.TextIOWrapper(io.BytesIO(escaped)))))


@SLOW
@given(st.binary(max_size=120))
def test_csv_files_of_random_bytes(data: bytes) -> None:
    check(read("c.csv", b"id,text\n" + data))


@SLOW
@given(st.binary(max_size=120))
def test_parquet_files_of_random_bytes(data: bytes) -> None:
    check(read("c.parquet", b"PAR1" + data))
