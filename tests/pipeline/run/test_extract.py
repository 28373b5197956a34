from __future__ import annotations

import functools
import os
import signal

import pytest
from spacy.language import Language

from newspipe.pipeline.build import load_pipeline
from newspipe.pipeline.run.documents import Document, InputProblem
from newspipe.pipeline.run.extract import (
    GROUP_CHARS,
    RecordLine,
    _guard_worker,
    _submit_held,
    _worker_pool,
    chunks,
    extract_lines,
    extract_records,
    item_batches,
    text_groups,
    worker_processes,
)
from newspipe.pipeline.run.writers import encode_record


def test_a_failing_document_is_reported_and_the_rest_come_out(blank: Language) -> None:
    @Language.component("fails_on_boom")
    def fails_on_boom(doc):
        if "boom" in doc.text:
            raise RuntimeError("cannot handle boom")
        return doc

    blank.add_pipe("fails_on_boom")
    items = [
        Document("a", "fine one"),
        InputProblem("bad.txt", "empty text"),
        Document("b", "boom here", source="b.txt"),
        Document("c", "fine two"),
    ]
    results = list(extract_records(blank, items, batch_size=8))
    assert [r["id"] if isinstance(r, dict) else str(r) for r in results] == [
        "a",
        "bad.txt: empty text",
        "b.txt: extraction failed (RuntimeError: cannot handle boom)",
        "c",
    ]


NEWS = [
    "Ana Ruiz said the plan failed.",
    'The mayor said: "We will build the bridge next year."',
    "Officials said the road was closed after the storm.",
    "Prices rose sharply in May, the central bank said on Tuesday.",
    "Zoe Tan told reporters that the vote would go ahead.",
    "The union called the offer an insult and vowed to strike.",
]


@pytest.mark.model
def test_two_processes_give_the_records_of_one(nlp: Language) -> None:
    items: list[Document | InputProblem] = [
        Document(f"d{i}", text, target="the plan" if i % 2 else None)
        for i, text in enumerate(NEWS * 2)
    ]
    items.insert(3, InputProblem("bad.jsonl:4", "empty text"))
    make_nlp = functools.partial(load_pipeline, None, None)
    one = list(extract_records(nlp, items, batch_size=2))
    two = list(extract_records(None, items, batch_size=2, n_process=2, make_nlp=make_nlp))
    assert two == one
    assert [r["id"] for r in one if isinstance(r, dict)] == [f"d{i}" for i in range(12)]
    assert any(r["quotes"] for r in one if isinstance(r, dict))  # the stages did run
    # Lines made in the workers are the bytes the writer makes of the records of one process.
    lines = list(extract_lines(None, items, batch_size=2, n_process=2, make_nlp=make_nlp))
    expected = [
        r if isinstance(r, InputProblem) else RecordLine(r["id"], encode_record(r)) for r in one
    ]
    assert lines == expected


@pytest.mark.model
def test_started_workers_report_a_bad_config_in_one_line() -> None:
    make_nlp = functools.partial(load_pipeline, None, {"nlp.stages": ["no_such_stage"]})
    with worker_processes(make_nlp, 2) as workers:
        problem = workers.check()
    assert problem is not None and "no_such_stage" in problem and "\n" not in problem


@pytest.mark.model
def test_started_workers_run_the_batches(nlp: Language) -> None:
    items = [Document(f"d{i}", text) for i, text in enumerate(NEWS)]
    make_nlp = functools.partial(load_pipeline, None, None)
    with worker_processes(make_nlp, 2) as workers:
        assert workers.check() is None
        two = list(extract_records(None, items, batch_size=2, workers=workers))
    assert two == list(extract_records(nlp, items, batch_size=2))


def test_extraction_streams_a_generator_lazily(blank: Language) -> None:
    pulled = 0

    def documents():
        nonlocal pulled
        for i in range(1000):
            pulled += 1
            yield Document(f"d{i}", "word " * 5)

    results = extract_records(blank, documents(), batch_size=10)
    first = [next(results) for _ in range(15)]
    assert [r["id"] for r in first if isinstance(r, dict)] == [f"d{i}" for i in range(15)]
    assert pulled == 20  # two batches read, not the whole input


def test_many_processes_need_a_pipeline_builder() -> None:
    with pytest.raises(ValueError, match="make_nlp"):
        list(extract_records(None, [Document("a", "x")], n_process=2))


def test_records_come_out_a_group_at_a_time_not_a_batch_at_a_time(blank: Language) -> None:
    seen: list[str] = []

    @Language.component("counts_documents")
    def counts_documents(doc):
        seen.append(doc.text[:2])
        return doc

    blank.add_pipe("counts_documents")
    article = "word " * (GROUP_CHARS // 5)  # one article: a group of its own
    short = [Document(f"s{i}", f"{i:02d} short text") for i in range(40)]
    long = [Document(f"a{i}", f"{i:02d} {article}") for i in range(5)]
    results = extract_records(blank, [*long, *short], batch_size=32)
    assert next(results)["id"] == "a0"
    assert seen == ["00"]  # the first article's record came out before the next one ran
    assert next(results)["id"] == "a1" and len(seen) == 2
    rest = list(results)
    assert [r["id"] for r in rest] == [f"a{i}" for i in range(2, 5)] + [f"s{i}" for i in range(40)]
    assert len(seen) == 45


def test_text_groups_close_at_the_limit() -> None:
    sizes = [5, 5, 10, 1, 1, 30, 2]
    groups = list(text_groups(sizes, lambda n: n, limit=10))
    assert groups == [[5, 5], [10], [1, 1, 30], [2]]
    assert list(text_groups([], len)) == []


def test_lines_are_the_writers_bytes_of_the_records(blank: Language) -> None:
    items = [Document("a", "één zin"), InputProblem("x.txt", "empty text"), Document("b", "two")]
    records = list(extract_records(blank, items))
    lines = list(extract_lines(blank, items))
    assert lines[1] == items[1]
    assert [line.id for line in (lines[0], lines[2])] == ["a", "b"]
    assert lines[0].line == encode_record(records[0]) and lines[0].line.endswith(b"\n")
    assert "één".encode() in lines[0].line  # non-ASCII as it is, as JSONL outputs have it


def test_item_batches_are_consecutive_and_of_the_size() -> None:
    assert list(item_batches(range(7), 3)) == [[0, 1, 2], [3, 4, 5], [6]]
    assert list(item_batches([], 3)) == []


def test_chunks_close_at_the_characters_or_at_the_most_batches() -> None:
    batches = [[5, 5], [10], [1, 1], [30], [2]]
    assert list(chunks(batches, lambda n: n, limit=10, most=4)) == [
        [[5, 5]],
        [[10]],
        [[1, 1], [30]],
        [[2]],
    ]
    tiny = [[1]] * 5
    assert list(chunks(tiny, lambda n: n, limit=100, most=2)) == [[[1], [1]], [[1], [1]], [[1]]]
    assert list(chunks([], len)) == []


def test_a_worker_started_while_signals_are_held_lets_them_through() -> None:
    # The submit that starts a worker holds Ctrl-C and SIGTERM back (an interrupt halfway
    # would leave the new process without its start-up data); the worker inherits the held
    # mask, and must let them through again, or SIGTERM could never end it.
    assert not signal.pthread_sigmask(signal.SIG_BLOCK, []) & {signal.SIGINT, signal.SIGTERM}
    with _worker_pool(1, _guard_worker, (os.getpid(),)) as pool:
        held = _submit_held(pool, signal.pthread_sigmask, signal.SIG_BLOCK, []).result(60)
    assert not held & {signal.SIGINT, signal.SIGTERM}
    assert not signal.pthread_sigmask(signal.SIG_BLOCK, []) & {signal.SIGINT, signal.SIGTERM}
