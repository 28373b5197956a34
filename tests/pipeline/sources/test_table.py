"""The source table of a corpus: rows across documents, share of voice, time, groups, and
records read as a stream."""

from __future__ import annotations

from typing import Any

import pytest

from newspipe.pipeline.errors import PipelineError
from newspipe.pipeline.sources.table import build_source_table, parse_date, period_of


def corpus(make: Any) -> list[dict[str, Any]]:
    one = "Mr Ola Berg said the tunnel must be built. A spokesman said costs were rising."
    two = "Berg said the tunnel was late. Ana Lima said it was a waste. She has fought it."
    three = "Ana Lima said the vote was close. The Harbour Board said it would wait."
    return [
        make.record(
            "a",
            one,
            [
                make.quote(one, "the tunnel must be built", "Ola Berg", "Ola Berg", stance="FAVOR"),
                make.quote(one, "costs were rising", "A spokesman", "A spokesman", stance="NONE"),
            ],
            [("Ola Berg", "PERSON")],
            target="the tunnel",
            date="2024-03-02",
            outlet="North",
        ),
        make.record(
            "b",
            two,
            [
                make.quote(two, "the tunnel was late", "Berg", "Berg", stance="AGAINST"),
                make.quote(two, "it was a waste", "Ana Lima", "Ana Lima", stance="AGAINST"),
            ],
            [("Berg", "PERSON"), ("Ana Lima", "PERSON")],
            target="the tunnel",
            date="2024-04-10",
            outlet="South",
        ),
        make.record(
            "c",
            three,
            [
                make.quote(three, "the vote was close", "Ana Lima", "Ana Lima", stance="NONE"),
                make.quote(three, "it would wait", "The Harbour Board", "Harbour Board"),
            ],
            [("Ana Lima", "PERSON"), ("Harbour Board", "ORG")],
            target="the tunnel",
            date="not a date",
            outlet="South",
        ),
    ]


def test_rows_across_documents(make: Any) -> None:
    table = build_source_table(corpus(make))
    rows = {r.name: r.to_json() for r in table.rows}
    assert set(rows) == {"Ola Berg", "Ana Lima", "A spokesman", "Harbour Board"}
    berg = rows["Ola Berg"]
    assert (berg["kind"], berg["gender"], berg["quotes"], berg["documents"]) == (
        "person",
        "male",
        2,
        2,
    )
    assert (berg["first_document"], berg["last_document"]) == ("a", "b")
    assert berg["stance"] == {"the tunnel": {"FAVOR": 1, "AGAINST": 1}}
    assert berg["merged"][0]["name"] == "Berg"
    lima = rows["Ana Lima"]
    assert (lima["gender"], lima["documents"], lima["indirect"]) == ("female", 2, 2)
    assert rows["A spokesman"]["gender"] == "male"
    assert rows["Harbour Board"]["kind"] == "organisation"


def test_share_of_voice(make: Any) -> None:
    summary = build_source_table(corpus(make)).summary
    assert (summary["documents"], summary["quotes"], summary["sources"]) == (3, 6, 4)
    assert summary["by_kind"]["person"] == {"quotes": 4, "sources": 2}
    assert summary["by_gender"]["female"] == {"quotes": 2, "sources": 1}
    assert summary["people_by_gender"]["male"] == {"quotes": 2, "sources": 1}
    against = summary["by_target"]["the tunnel"]["AGAINST"]
    assert (against["quotes"], against["sources"]) == (2, 2)


def test_no_merge_splits_name_forms(make: Any) -> None:
    table = build_source_table(corpus(make), merge=False)
    assert {"Ola Berg", "Berg"} <= {r.name for r in table.rows}
    assert table.notes == []


def test_timeline_and_groups(make: Any) -> None:
    undated: list[str] = []
    table = build_source_table(
        corpus(make),
        date_field="date",
        period="month",
        by="outlet",
        on_undated=lambda doc_id, value: undated.append(doc_id),
    )
    timeline = table.summary["timeline"]
    assert undated == ["c"]
    assert [p["period"] for p in timeline["periods"]] == ["2024-03", "2024-04"]
    assert timeline["periods"][1]["quotes"] == 2
    groups = table.summary["by_group"]["groups"]
    assert groups["South"]["documents"] == 2 and groups["South"]["quotes"] == 4
    assert {(r.group, r.name) for r in table.rows if r.name == "Ana Lima"} == {
        ("South", "Ana Lima")
    }


def test_fields_from_meta_when_records_lack_them(make: Any) -> None:
    records = [{k: v for k, v in r.items() if k != "outlet"} for r in corpus(make)]
    meta = {"a": {"outlet": "X"}, "b": {"outlet": "Y"}}
    groups = build_source_table(records, by="outlet", meta=meta).summary["by_group"]["groups"]
    assert set(groups) == {"X", "Y", "(none)"}


def test_records_read_as_a_stream_twice_only_for_documents_that_disagree(make: Any) -> None:
    text = "Vega said the plan works. Ana Lima agreed."
    quote = make.quote(text, "the plan works", "Vega", "Vega")
    records = [make.record(f"p{i}", text, [quote], [("Vega", "PERSON")]) for i in range(3)] + [
        make.record("o", text, [quote], [("Vega", "ORG")])
    ]
    reads: list[list[str]] = []

    def stream() -> Any:
        reads.append([])
        for record in records:
            reads[-1].append(record["id"])
            yield record

    seen: list[tuple[int, int]] = []
    table = build_source_table(stream, on_record=lambda p, n: seen.append((p, n)))
    assert len(reads) == 2  # read twice, never kept as a list
    assert seen[-1] == (2, 1)  # one document analysed again
    (row,) = table.rows
    assert row.kind == "person" and len(row.documents) == 4

    def changing() -> Any:
        changing.calls += 1  # type: ignore[attr-defined]
        yield from records if changing.calls == 1 else reversed(records)  # type: ignore[attr-defined]

    changing.calls = 0  # type: ignore[attr-defined]
    with pytest.raises(PipelineError, match="changed"):
        build_source_table(changing)


def test_dates() -> None:
    assert str(parse_date("2016-09-12T08:00:00Z")) == "2016-09-12"
    assert str(parse_date("2016/09")) == "2016-09-01"
    assert parse_date("yesterday") is None and parse_date(None) is None
    date = parse_date("2016-09-12")
    assert date is not None
    assert [period_of(date, p) for p in ("day", "week", "month", "year")] == [
        "2016-09-12",
        "2016-W37",
        "2016-09",
        "2016",
    ]
