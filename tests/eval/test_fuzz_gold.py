"""Fuzz test (issue #17) of gold files through ``newspipe gold validate`` and ``gold show``:
random bytes, a valid gold file cut short or with bytes flipped, lone surrogates in its
strings. Every outcome is exit code 0 or 2 with no exception, each problem one line.
Bounded to a few seconds (``max_examples``)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from newspipe.cli import app

runner = CliRunner()
ARTICLE = "Mayor Ana Ruiz said on Monday that the tunnel would bring jobs."
GOLD = """\
id: tunnel
text_file: tunnel.txt
sentences: ["Mayor Ana Ruiz said on Monday that the tunnel would bring jobs."]
entities:
  - [1, Ana Ruiz, PERSON]
  - [1, Monday, DATE]
quotes: []
"""
FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def gold_bytes(draw: st.DrawFn) -> bytes:
    kind = draw(st.sampled_from(["random", "cut", "flipped", "surrogate"]))
    data = GOLD.encode("utf-8")
    if kind == "random":
        return draw(st.binary(max_size=200))
    if kind == "cut":
        return data[: draw(st.integers(0, len(data)))]
    if kind == "flipped":
        at = draw(st.integers(0, len(data) - 1))
        return data[:at] + bytes([draw(st.integers(0, 255))]) + data[at + 1 :]
    escape = draw(st.sampled_from(['"\\ud800"', '"Ana \\udc00"', '"\\ud83d"']))
    field = draw(st.sampled_from(["id: tunnel", "Ana Ruiz, PERSON", "text_file: tunnel.txt"]))
    key, _, _ = field.partition(": ")
    replaced = f"{key}: {escape}" if ": " in field else field.replace("Ana Ruiz", escape)
    return GOLD.replace(field, replaced).encode("utf-8")


@FUZZ
@given(gold_bytes(), st.sampled_from([".gold.yaml", ".gold.json"]))
def test_any_gold_file_is_validated_or_refused_in_lines(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "tunnel.txt").write_text(ARTICLE)
        gold = Path(folder) / f"tunnel{suffix}"
        gold.write_bytes(data)
        for command in ("validate", "show"):
            result = runner.invoke(app, ["gold", command, str(gold)])
            assert result.exit_code in (0, 2), result.output
            assert result.exception is None or isinstance(result.exception, SystemExit), repr(
                result.exception
            )
            assert "Traceback" not in result.output
