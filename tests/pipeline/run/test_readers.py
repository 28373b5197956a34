from __future__ import annotations

import io
from pathlib import Path

from newspipe.pipeline.run.documents import Document, InputProblem
from newspipe.pipeline.run.readers import read_documents


def read(*names: str, stdin: str | None = None) -> list[Document | InputProblem]:
    stream = io.TextIOWrapper(io.BytesIO((stdin or "").encode()), encoding="utf-8")
    return list(read_documents(names, stdin=stream))


def test_text_file_directory_and_jsonl(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Alpha text.")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "b.txt").write_text("Beta text.")
    corpus = tmp_path / "c.jsonl"
    corpus.write_text('{"id": "c1", "text": "Gamma.", "target": "t"}\n\n{"text": "Delta."}\n')
    items = read(str(tmp_path / "a.txt"), str(tmp_path / "docs"), str(corpus))
    assert [(i.id, i.text, i.target) for i in items if isinstance(i, Document)] == [
        ("a", "Alpha text.", None),
        ("b", "Beta text.", None),
        ("c1", "Gamma.", "t"),
        ("c-3", "Delta.", None),
    ]


def test_each_bad_input_is_a_problem_and_reading_goes_on(tmp_path: Path) -> None:
    (tmp_path / "bin.txt").write_bytes(b"abc\x00def")
    (tmp_path / "latin.txt").write_bytes("caf\xe9".encode("latin-1"))
    (tmp_path / "empty.txt").write_text("  \n")
    (tmp_path / "none").mkdir()
    corpus = tmp_path / "c.jsonl"
    corpus.write_text('{"id": 1, "text": "ok"}\n{"id": 2, "text":\n[1]\n{"id": 3}\n')
    items = read(
        str(tmp_path / "missing.txt"),
        str(tmp_path / "bin.txt"),
        str(tmp_path / "latin.txt"),
        str(tmp_path / "empty.txt"),
        str(tmp_path / "none"),
        str(corpus),
    )
    messages = [i.message for i in items if isinstance(i, InputProblem)]
    assert messages[:5] == [
        "no such file or directory",
        "binary file, not text",
        "not UTF-8 text (invalid byte at offset 3)",
        "empty text",
        "directory holds no .txt files",
    ]
    assert messages[5].startswith("malformed JSON")
    assert messages[6:] == ["a record must be a JSON object", "record has no 'text' string"]
    assert [i.id for i in items if isinstance(i, Document)] == ["1"]


def test_duplicate_ids_are_reported(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text('{"id": "x", "text": "one"}\n{"id": "x", "text": "two"}\n')
    items = read(str(corpus))
    assert isinstance(items[1], InputProblem) and "duplicate document id 'x'" in items[1].message


def test_stdin_text_or_jsonl() -> None:
    assert read("-", stdin="Plain words.")[0] == Document("stdin", "Plain words.", None, "<stdin>")
    items = read("-", stdin='{"id": "s1", "text": "Hi."}\n')
    assert isinstance(items[0], Document) and items[0].id == "s1"


def test_a_record_may_carry_several_targets(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(
        '{"id": "a", "text": "x", "target": ["the levy", " ", "the strike"]}\n'
        '{"id": "b", "text": "x", "target": [1]}\n'
    )
    good, bad = read(str(corpus))
    assert isinstance(good, Document) and good.target == ("the levy", "the strike")
    assert isinstance(bad, InputProblem) and "list of strings" in bad.message
