"""eval.bench and eval.timing: the statistics, the bookkeeping, and a small real run."""

from __future__ import annotations

import json
from pathlib import Path

import numpy
import pytest
from spacy.language import Language
from spacy.tokens import Doc

from newspipe.eval.bench import (
    BASELINE,
    PIPELINE,
    STAGES_TOTAL,
    SUBSETS,
    Spread,
    _runnable,
    alternative_backends,
    extract_command,
    parallel_capacity,
    parse_n_process,
    peak_rss_mb,
    portable_user_data,
    run_bench,
    write_corpus,
)
from newspipe.eval.timing import WORDS, count_words, stage_of, time_components
from newspipe.pipeline.run.documents import Document

TEXTS = [
    "Mayor Ana Ruiz said the bridge would reopen in May.\nThe council disagreed.",
    '"We are not ready," the engineer told reporters on Tuesday.',
    "Officials said the road was closed. Traffic was diverted through the old town.",
]


def documents() -> list[Document]:
    return [Document(id=f"d{n}", text=text, target="the bridge") for n, text in enumerate(TEXTS)]


def test_spread_of_a_sample() -> None:
    spread = Spread.of([10.0, 12.0, 11.0, 13.0, 9.0])
    assert spread.median == 11.0 and spread.n == 5
    assert spread.q1 == 10.0 and spread.q3 == 12.0
    assert 9.0 <= spread.low <= spread.median <= spread.high <= 13.0
    assert spread.low < spread.high


def test_spread_of_a_constant_and_of_nothing() -> None:
    constant = Spread.of([5.0, 5.0, 5.0])
    assert (constant.low, constant.median, constant.high) == (5.0, 5.0, 5.0)
    empty = Spread.of([])
    assert empty.n == 0 and numpy.isnan(empty.median)


def test_spread_is_reproducible() -> None:
    sample = [float(x) for x in range(1, 40)]
    assert Spread.of(sample) == Spread.of(sample)


@pytest.mark.parametrize(("text", "expected"), [("1,2", [1, 2]), ("2, 1,2", [1, 2]), ("4", [4])])
def test_parse_n_process(text: str, expected: list[int]) -> None:
    assert parse_n_process(text) == expected


@pytest.mark.parametrize("text", ["0", "1,-2", "", "two"])
def test_parse_n_process_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_n_process(text)


def test_peak_rss_is_positive() -> None:
    assert peak_rss_mb() > 1


def test_words_are_all_tokens(blank: Language) -> None:
    docs = [blank("Hello, world.\n\nBye")]
    assert count_words(docs) == len(docs[0]) == 6
    assert "len(doc)" in WORDS


def test_time_components_alternatives_leave_the_docs_alone(blank: Language) -> None:
    blank.add_pipe("newspipe_sentences_rules_v1", name="sentences")
    alternatives, unbuilt = alternative_backends(blank)
    assert "newspipe_sentences_pysbd_v1" in alternatives["sentences"]
    assert "newspipe_sentences_rules_v1" not in alternatives["sentences"]
    assert all("not timed" in line for line in unbuilt)

    def all_starts(doc: Doc) -> Doc:  # marks every token; must not reach the real docs
        for token in doc:
            token.is_sent_start = True
        return doc

    docs, times = time_components(
        blank, ["One. Two three.", "Four."], alternatives={"sentences": {"all": all_starts}}
    )
    assert [len(list(doc.sents)) for doc in docs] == [2, 1]
    assert set(times.seconds) == {"tokenizer", "sentences"}
    assert set(times.alternative_seconds) == {"sentences:all"}
    assert times.total == pytest.approx(sum(times.seconds.values()))
    assert times.words == 7 and times.docs == 2
    assert stage_of(blank, "sentences") == "sentences" and stage_of(blank, "tokenizer") == "model"


def test_time_components_make_doc(blank: Language) -> None:
    def make(document: Document) -> Doc:
        doc = blank.make_doc(document.text)
        doc._.target = document.target
        return doc

    docs, times = time_components(blank, documents()[:1], make_doc=make)
    assert docs[0]._.target == "the bridge" and times.docs == 1


def test_a_failing_document_is_skipped(blank: Language) -> None:
    @Language.component("bench_test_fails_on_boom")
    def fails_on_boom(doc: Doc) -> Doc:
        if "BOOM" in doc.text:
            raise RuntimeError("boom")
        return doc

    blank.add_pipe("bench_test_fails_on_boom")
    docs = [Document("a", "Fine text."), Document("b", "BOOM here."), Document("c", "Fine.")]
    kept, skipped = _runnable(blank, docs, size=2)
    assert [d.id for d in kept] == ["a", "c"]
    assert len(skipped) == 1 and "boom" in skipped[0]
    with pytest.raises(ValueError, match="every document"):
        _runnable(blank, docs[1:2], size=2)


def test_portable_user_data_makes_docs_serializable(blank: Language) -> None:
    doc = blank("Ana said it rained.")
    doc.spans["quotes"] = [doc[2:4]]
    doc.spans["quotes"][0]._.cue = doc[1:2]
    with pytest.raises(TypeError):
        doc.to_bytes()
    portable_user_data(doc)
    restored = Doc(blank.vocab).from_bytes(doc.to_bytes())
    assert list(restored.spans["quotes"][0]._.cue) == [4, 8]


@pytest.mark.model
def test_run_bench_adds_up_and_compares_with_spacy() -> None:
    report = run_bench(documents(), batch_size=2, repeats=2, warmup=0, memory=False)
    assert report.docs == 3 and report.words > 20 and report.batch_size == 2
    names = [row.name for row in report.rows]
    assert names[:2] == [BASELINE, PIPELINE]
    stages = [row for row in report.rows if row.kind == "stage"]
    assert [row.name for row in stages] == ["model", "sentences", "entities", "quotes", "stance"]
    assert sum(row.share or 0.0 for row in stages) == pytest.approx(1.0)
    # two batches (2 docs + 1 doc) per pass, two passes
    assert all(row.words_per_s.n == 4 for row in report.rows if row.kind != "alternative")
    baseline, pipeline = report.row(BASELINE), report.row(PIPELINE)
    assert baseline.ratio_to_spacy == 1.0
    assert report.ratio == pytest.approx(pipeline.words_per_s.median / baseline.words_per_s.median)
    assert pipeline.latency_ms_p50 is not None and pipeline.latency_ms_p95 is not None
    assert 0 < pipeline.latency_ms_p50 <= pipeline.latency_ms_p95
    total = report.row(STAGES_TOTAL)
    assert total.share == 1.0 and total.latency_ms_p50 == pipeline.latency_ms_p50
    stage_latency = sum(row.latency_ms_p50 or 0.0 for row in stages)
    assert stage_latency == pytest.approx(pipeline.latency_ms_p50, rel=0.5)
    assert any(row.kind == "alternative" for row in report.rows)
    assert report.scaling == [] and not report.skipped
    json.dumps(report.to_dict(), allow_nan=False)


@pytest.mark.model
def test_run_bench_memory_and_processes() -> None:
    report = run_bench(
        documents()[:2], batch_size=1, repeats=1, warmup=0, n_process=(1, 2), alternatives=False
    )
    baseline, pipeline = report.row(BASELINE), report.row(PIPELINE)
    assert baseline.peak_rss_mb is not None and pipeline.peak_rss_mb is not None
    assert 50 < baseline.peak_rss_mb < 4000 and 50 < pipeline.peak_rss_mb < 4000
    measured = [row for row in report.rows if row.kind in ("baseline", "pipeline", "stage")]
    assert all(row.peak_rss_mb is not None and row.peak_rss_mb >= 0 for row in measured)
    assert [item.n_process for item in report.scaling] == [1, 2]
    assert report.scaling[0].speedup == 1.0
    assert all(item.pipeline_words_per_s.median > 0 for item in report.scaling)
    # newspipe extract itself, N = 1 and 2, over all the documents: its figures add up
    one, two = report.engine
    assert (one.n_process, two.n_process) == (1, 2) and one.docs == two.docs == 2
    assert one.speedup == one.efficiency == 1.0
    assert two.speedup == pytest.approx(two.docs_per_s.median / one.docs_per_s.median)
    assert two.efficiency == pytest.approx(two.speedup / 2)
    assert one.identical and two.identical
    assert one.workers == 0 and one.peak_worker_mb is None
    assert two.workers == 2 and two.peak_worker_mb is not None and two.peak_main_mb is not None
    assert two.peak_tree_mb.median > two.peak_worker_mb
    assert len(report.capacity) == 2 and all(c > 0 for c in report.capacity)
    json.dumps(report.to_dict(), allow_nan=False)


@pytest.mark.model
def test_engine_only_runs_extract_at_each_corpus_size() -> None:
    report = run_bench(documents(), n_process=(2,), engine_only=True, engine_sizes=(1, 3, 99))
    assert report.rows == [] and report.scaling == [] and report.ratio is None
    assert [(row.docs, row.n_process) for row in report.engine] == [(1, 1), (1, 2), (3, 1), (3, 2)]
    assert all(row.identical and len(row.wall_s) == 1 for row in report.engine)
    assert report.engine[2].words > report.engine[0].words > 0
    assert "-n 2" in report.engine[-1].command and "CORPUS.jsonl" in report.engine[-1].command


def test_engine_only_needs_two_process_counts() -> None:
    with pytest.raises(ValueError, match="process counts"):
        run_bench(documents(), n_process=(1,), engine_only=True)


def test_parallel_capacity_of_one_process_and_of_two() -> None:
    assert parallel_capacity(1, loop=10) == 1.0
    assert 0 < parallel_capacity(2, loop=100_000) < 4


def test_extract_command_passes_overrides_as_json(tmp_path: Path) -> None:
    command = extract_command(
        tmp_path / "c.jsonl", tmp_path / "o.jsonl", 2, 16, None,
        {"components.stance.target": ["a", "b"], "nlp.parse": "candidates"},
    )  # fmt: skip
    assert command[1:4] == ["-m", "newspipe", "extract"]
    assert command[command.index("-n") + 1] == "2"
    assert command[command.index("--batch-size") + 1] == "16"
    assert command[command.index("--components.stance.target") + 1] == '["a", "b"]'
    assert command[command.index("--nlp.parse") + 1] == '"candidates"'


def test_write_corpus_keeps_ids_texts_and_targets(tmp_path: Path) -> None:
    docs = [Document("a", "één", target=("x", "y")), Document("b", "two")]
    write_corpus(docs, tmp_path / "c.jsonl")
    rows = [json.loads(line) for line in (tmp_path / "c.jsonl").read_text().splitlines()]
    assert rows == [{"id": "a", "text": "één", "target": ["x", "y"]}, {"id": "b", "text": "two"}]


@pytest.mark.model
def test_run_bench_subsets_beside_the_matching_bare_model() -> None:
    report = run_bench(
        documents(), batch_size=2, repeats=2, warmup=0, memory=False, alternatives=False,
        subsets=SUBSETS,
    )  # fmt: skip
    rows = {row.name: row for row in report.subsets}
    assert list(rows) == [subset.name for subset in SUBSETS]
    entities = rows["entities only"]
    assert entities.stages == ["entities"] and entities.bare_components == ["tok2vec", "ner"]
    assert set(entities.components) == {"tok2vec", "tagger", "attribute_ruler", "ner"}
    rules = rows["sentences only (rules)"]
    assert rules.components == [] and "parser" in rules.bare_components
    assert rows["sentences only (hybrid)"].bare_components == ["tok2vec", "parser"]
    for row in report.subsets:  # two batches per pass, two passes, both sides
        assert row.words_per_s.n == 4 and row.spacy_words_per_s.n == 4
        assert row.ratios.n == 4  # one ratio per batch and pass
        assert row.ratio_to_spacy == row.ratios.median
        assert row.ratios.low <= row.ratio_to_spacy <= row.ratios.high
    json.dumps(report.to_dict(), allow_nan=False)


def test_run_bench_rejects_bad_settings() -> None:
    with pytest.raises(ValueError, match="no documents"):
        run_bench([])
    with pytest.raises(ValueError, match="repeats"):
        run_bench(documents(), repeats=0)


def test_copy_doc_keeps_span_values_of_extensions(blank) -> None:
    from newspipe.eval.timing import copy_doc
    from newspipe.pipeline.extensions import QUOTES_KEY

    doc = blank("Ann Lee said the plan works.")
    quote = doc[3:6]
    quote._.speaker = doc[0:2]
    doc.spans[QUOTES_KEY] = [quote]
    other = copy_doc(doc)
    copied = other.spans[QUOTES_KEY][0]
    assert copied._.speaker.text == "Ann Lee" and copied._.speaker.doc is other
    assert doc.spans[QUOTES_KEY][0]._.speaker.doc is doc
