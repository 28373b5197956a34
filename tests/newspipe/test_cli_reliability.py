"""Issue #17 through the command line: every case a hostile or careless user found, each with
its new behaviour. Nothing escapes its folder, a bad input or option is one line with exit 2,
nothing is silently overwritten. (Signals and worker processes: ``test_cli_signals.py``.)"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newspipe.cli import app

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "gold"
STRIKE = FIXTURES / "harbour_strike.gold.yaml"
runner = CliRunner()

ARTICLE = "Mayor Ana Ruiz said on Monday that the tunnel would bring jobs."
GOLD = """\
id: {id}
text_file: {text_file}
sentences: ["Mayor Ana Ruiz said on Monday that the tunnel would bring jobs."]
entities:
  - [1, Ana Ruiz, PERSON]
  - [1, Monday, DATE]
"""


def invoke(*args: str, stdin: str | None = None):
    return runner.invoke(app, list(args), input=stdin)


def one_line_error(result, *needles: str, code: int = 2) -> str:
    """The result failed with ``code`` and one line on stderr holding every needle."""
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, lines
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])
    return lines[0]


def gold_tree(root: Path, doc_id: str = "tunnel", text_file: str = "tunnel.txt") -> Path:
    """A gold file in ``root/gold`` (``root`` holds a pyproject.toml: the gold tree's root)."""
    (root / "gold").mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text("")
    (root / "gold" / "tunnel.txt").write_text(ARTICLE)
    gold = root / "gold" / "tunnel.gold.yaml"
    gold.write_text(GOLD.format(id=json.dumps(doc_id), text_file=json.dumps(text_file)))
    return gold


# -- 1. ids that would escape their folder -----------------------------------------------------


@pytest.mark.parametrize("doc_id", ["../../escaped", "/tmp/escaped-abs", ".hidden", "a/b"])
def test_gold_ids_that_are_no_file_name_fail_validation(tmp_path: Path, doc_id: str) -> None:
    gold = gold_tree(tmp_path, doc_id)
    result = invoke("gold", "validate", str(gold))
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "id: " in result.stdout and "cannot be a file name" in result.stdout


@pytest.mark.parametrize("doc_id", ["../../escaped", "/tmp/escaped-abs"])
def test_brat_export_writes_nothing_outside_its_folder(tmp_path: Path, doc_id: str) -> None:
    gold = gold_tree(tmp_path / "tree", doc_id)
    out = tmp_path / "tree" / "a" / "b" / "brat"
    out.parent.mkdir(parents=True)
    result = invoke("gold", "export", str(gold), "--format", "brat", "-o", str(out))
    assert result.exit_code == 2 and "cannot be a file name" in result.stderr
    assert not out.exists()
    assert not list(tmp_path.rglob("escaped*")) and not Path("/tmp/escaped-abs.txt").exists()


def test_docbin_import_of_an_id_with_a_slash_is_one_line(tmp_path: Path) -> None:
    from newspipe.eval.formats.docbin import write_docbin
    from newspipe.eval.gold import load_gold

    record = load_gold(STRIKE)
    spacy_file = tmp_path / "gold.spacy"
    write_docbin([{**record, "id": "../outside"}], spacy_file)
    out = tmp_path / "imported"
    out.mkdir()
    result = invoke("gold", "import", str(spacy_file), "--format", "docbin", "-o", str(out))
    one_line_error(result, "'../outside'", "cannot be a file name: it contains a path separator")
    assert list(out.iterdir()) == [] and not (tmp_path / "outside.txt").exists()


# -- 2. a gold file's article stays in its gold tree; reads are bounded --------------------------


@pytest.mark.parametrize(
    ("text_file", "problem"),
    [
        ("/etc/passwd", "must be relative to the gold file's folder"),
        ("../../../../../../../../etc/passwd", "outside the gold root"),
        ("/dev/zero", "must be relative"),
    ],
)
def test_text_file_outside_the_gold_tree_is_refused(
    tmp_path: Path, text_file: str, problem: str
) -> None:
    gold = gold_tree(tmp_path, text_file=text_file)
    for command in (["gold", "validate"], ["gold", "show"]):
        result = invoke(*command, str(gold))
        assert result.exit_code == 2 and "Traceback" not in result.output
        assert problem in result.output
        assert "root:" not in result.stdout  # nothing of /etc/passwd is printed
    report = tmp_path / "report.html"
    result = invoke("score", str(gold), "--report", str(report), "--bootstrap", "0")
    one_line_error(result, problem)
    assert not report.exists()


def test_the_advice_names_the_flag_that_widens_the_root(tmp_path: Path) -> None:
    gold = gold_tree(tmp_path / "project", text_file="../../shared/article.txt")
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "article.txt").write_text(ARTICLE)
    result = invoke("gold", "validate", str(gold))
    assert result.exit_code == 2
    assert "allow another with --gold-root DIR" in result.stdout
    widened = invoke("gold", "validate", str(gold), "--gold-root", str(tmp_path / "shared"))
    assert widened.exit_code == 0, widened.output
    show = invoke("gold", "show", str(gold), "--gold-root", str(tmp_path / "shared"))
    assert json.loads(show.stdout)["text"] == ARTICLE


def test_the_seed_gold_reaches_its_article_in_seeds() -> None:
    """``gold/putin_visit_north_korea.gold.yaml`` names ``../seeds/…``: inside the repository."""
    gold = ROOT / "gold" / "putin_visit_north_korea.gold.yaml"
    assert "../seeds/" in gold.read_text(encoding="utf-8")
    assert invoke("gold", "validate", str(gold)).exit_code == 0


def test_a_link_to_a_device_inside_the_tree_is_not_read(tmp_path: Path) -> None:
    gold = gold_tree(tmp_path, text_file="zero.txt")
    (tmp_path / "gold" / "zero.txt").symlink_to("/dev/zero")
    result = invoke("gold", "validate", str(gold))
    assert result.exit_code == 2 and "outside the gold root" in result.stdout
    result = invoke("gold", "validate", str(gold), "--gold-root", "/dev")  # allowed, yet:
    assert result.exit_code == 2
    assert "character device, not a regular file" in result.stdout


def test_a_fifo_as_article_or_gold_file_is_refused_at_once(tmp_path: Path) -> None:
    gold = gold_tree(tmp_path, text_file="pipe.txt")
    os.mkfifo(tmp_path / "gold" / "pipe.txt")  # nobody writes: a blocking read never ends
    os.mkfifo(tmp_path / "fifo.gold.yaml")
    result = invoke("gold", "validate", str(gold), str(tmp_path / "fifo.gold.yaml"))
    assert result.exit_code == 2
    assert result.stdout.count("named pipe, not a regular file") == 2


@pytest.mark.model
def test_a_stance_model_file_linked_to_dev_zero_is_refused(tmp_path: Path) -> None:
    """The size check trusted st_size, which is 0 for a device: now the read is bounded."""
    texts = {
        "agree": ("{t} is a great idea", "we welcome {t}"),
        "disagree": ("{t} is a terrible idea", "we oppose {t}"),
        "neutral": ("the council discussed {t}", "{t} was on the agenda"),
    }
    rows = [
        {"text": text.format(t=target), "target": target, "label": label}
        for target in ("the new bridge", "the parking fee", "the school plan")
        for label, forms in texts.items()
        for text in forms
    ]
    data = tmp_path / "stance.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in rows))
    model = tmp_path / "model"
    trained = invoke("train", "stance", str(data), "--output", str(model), "--folds", "0")
    assert trained.exit_code == 0, trained.output
    (model / "coef.npy").unlink()
    (model / "coef.npy").symlink_to("/dev/zero")
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE)
    factory = "newspipe_stance_model_v1"
    result = invoke(
        "extract",
        str(article),
        *("--components.stance.factory", factory, "--components.stance.model", str(model)),
    )
    one_line_error(result, "coef.npy", "character device, not a regular file")


def test_extract_refuses_device_and_fifo_inputs(tmp_path: Path) -> None:
    fifo = tmp_path / "c.jsonl"
    os.mkfifo(fifo)
    link = tmp_path / "zero.txt"
    link.symlink_to("/dev/zero")
    for name in (fifo, link):
        result = invoke("extract", str(name), "--nlp.stages", "[]", "--format", "jsonl")
        one_line_error(result, str(name), "not a regular file")


# -- 4. config values --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("0", "nlp.batch_size: must be at least 1, not 0"),
        ("-5", "nlp.batch_size: must be at least 1, not -5"),
        ("many", "nlp.batch_size: must be a whole number, not 'many'"),
    ],
)
def test_batch_size_values_are_checked_before_anything_runs(
    tmp_path: Path, value: str, problem: str
) -> None:
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE)
    out = tmp_path / "out.jsonl"
    result = invoke("extract", str(article), "--nlp.batch_size", value, "-o", str(out))
    one_line_error(result, problem)
    assert not out.exists()


def test_config_errors_list_the_valid_keys_and_factories(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE)
    result = invoke("extract", str(article), "--components.stance.tagret", "x")
    one_line_error(result, "unknown setting 'tagret' (did you mean 'target'?)", "threshold")
    result = invoke("extract", str(article), "--components.quotes.factory", "newspipe_nope_v1")
    line = one_line_error(result, "unknown factory 'newspipe_nope_v1'")
    assert "newspipe_quotes_rules_v1" in line and "sentences" not in line  # this stage's only


# -- 5. tracebacks where one line was promised ---------------------------------------------------


def test_extract_to_a_directory_fails_before_the_run(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE)
    result = invoke("extract", str(article), "-o", str(tmp_path))
    one_line_error(result, "is a directory; give a file name")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]  # no journal, no lock
    result = invoke("extract", str(article), "-o", str(tmp_path / "o.jsonl"), "--errors", ".")
    one_line_error(result, "(error log): is a directory")


@pytest.fixture
def unwritable(tmp_path: Path) -> Iterator[Path]:
    """A folder this process cannot write into (immutable for root, read-only otherwise)."""
    folder = tmp_path / "locked"
    folder.mkdir()
    if os.geteuid() == 0:
        chattr = shutil.which("chattr")
        if chattr is None or subprocess.run([chattr, "+i", str(folder)]).returncode:
            pytest.skip("root, and no chattr +i here to make a folder unwritable")
        try:
            yield folder
        finally:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
    else:
        folder.chmod(0o555)
        try:
            yield folder
        finally:
            folder.chmod(0o755)


def test_an_unwritable_output_folder_is_one_line(tmp_path: Path, unwritable: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE)
    result = invoke("extract", str(article), "-o", str(unwritable / "out.jsonl"))
    one_line_error(result, "cannot write into", "permission denied")
    errors = unwritable / "errors.jsonl"
    out = tmp_path / "o.jsonl"
    result = invoke("extract", str(article), "-o", str(out), "--errors", str(errors))
    one_line_error(result, "(error log): cannot write into")


# -- 6. silent overwrites ---------------------------------------------------------------------


def test_an_output_that_is_an_input_is_refused(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(json.dumps({"id": "a", "text": ARTICLE}) + "\n")
    before = corpus.read_bytes()
    result = invoke("extract", str(corpus), "-o", str(corpus))
    one_line_error(result, "the output is an input; it would be overwritten")
    link = tmp_path / "same.jsonl"
    link.symlink_to(corpus)
    one_line_error(invoke("extract", str(corpus), "-o", str(link)), "the output is an input")
    one_line_error(
        invoke("extract", str(corpus), "-o", str(tmp_path / "o.jsonl"), "--errors", str(corpus)),
        "the error log is an input",
    )
    assert corpus.read_bytes() == before


def test_the_error_log_cannot_be_the_output(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE)
    out = tmp_path / "o.jsonl"
    result = invoke("extract", str(article), "-o", str(out), "--errors", str(out))
    one_line_error(result, "the error log is the output")


def test_an_unknown_output_suffix_is_an_error_not_jsonl(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE)
    out = tmp_path / "out.xml"
    result = invoke("extract", str(article), "-o", str(out))
    one_line_error(result, "no output format is written as '.xml' files", "--output-format")
    assert not out.exists()


def test_a_read_only_output_stays_as_it_was(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE)
    out = tmp_path / "out.jsonl"
    out.write_text("kept\n")
    out.chmod(0o444)
    result = invoke("extract", str(article), "-o", str(out))
    one_line_error(result, "the existing file is read-only; not replaced")
    assert out.read_text() == "kept\n" and out.stat().st_mode & 0o777 == 0o444


# -- 7. the lock: three concurrent writers ----------------------------------------------------


@pytest.mark.model
def test_three_concurrent_writers_one_runs_two_are_refused(tmp_path: Path) -> None:
    """The first run holds the output's lock while it waits for stdin; the two others are
    refused at once (before loading a model), and the first still finishes."""
    out = tmp_path / "out.jsonl"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "newspipe", "extract", "-", "-o", str(out)]
    first = subprocess.Popen(
        command, stdin=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True
    )
    lock = tmp_path / ".out.jsonl.lock"
    deadline = time.monotonic() + 60
    while not lock.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.2)  # the lock file is created, then locked
    others = [
        subprocess.run(command, input=ARTICLE, capture_output=True, env=env, text=True)
        for _ in range(2)
    ]
    for other in others:
        assert other.returncode == 2, other.stderr
        assert other.stderr.strip() == (
            f"newspipe: error: {out}: another run is writing this output"
        )
    _, err = first.communicate(ARTICLE, timeout=120)
    assert first.returncode == 0, err
    assert [json.loads(line)["id"] for line in out.read_text().splitlines()] == ["stdin"]


# -- 8. unknown options --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "typo", "suggestion"),
    [
        (["extract", "a.txt", "--tagret", "X"], "--tagret", "--target"),
        (["extract", "a.txt", "--resum"], "--resum", "--resume"),
        (["score", "--bogus"], "--bogus", None),
        (["score", "--bootstrapp", "5"], "--bootstrapp", "--bootstrap"),
        (["bench", "--bogus"], "--bogus", None),
        (["bench", "--repeat", "3"], "--repeat", "--repeats"),
    ],
)
def test_an_unknown_option_is_clicks_usage_error(
    args: list[str], typo: str, suggestion: str | None
) -> None:
    result = invoke(*args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "NoSuchOption" not in result.output
    message = " ".join(result.stderr.replace("│", " ").split())  # one line in a panel
    assert f"No such option: {typo}" in message
    suggested = message.split(f"No such option: {typo}", 1)[1].split("╰")[0]
    if suggestion is None:
        assert "--" not in suggested
    else:  # the closest of the command's options, as the Click in use words it
        assert suggested.split() == ["(Possible", "options:", f"{suggestion})"] or (
            suggested.split() == ["Did", "you", "mean", f"{suggestion}?"]
        )


def test_a_typo_is_caught_before_any_work(tmp_path: Path) -> None:
    """The usage error comes before gold is looked for (score ran `gold/` first)."""
    os.chdir(tmp_path)  # no gold/ here
    try:
        result = invoke("score", "--bogus")
    finally:
        os.chdir(ROOT)
    assert "No such option: --bogus" in result.stderr
    assert "no such file or directory" not in result.stderr


# -- 9. the smaller ones -------------------------------------------------------------------------


def test_empty_inputs_are_all_problems_with_exit_2(tmp_path: Path) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n\n")
    blank = tmp_path / "blank.txt"
    blank.write_text("  \n")
    cases = [
        (invoke("extract", str(empty), "--nlp.stages", "[]"), f"{empty}: no documents"),
        (invoke("extract", "-", "--nlp.stages", "[]", stdin=""), "<stdin>: empty text"),
        (invoke("extract", str(blank), "--nlp.stages", "[]"), f"{blank}: empty text"),
    ]
    for result, line in cases:
        assert result.exit_code == 2, result.output
        assert f"newspipe: {line}" in result.stderr


def test_score_pred_matching_no_gold_document_is_an_error(tmp_path: Path) -> None:
    from newspipe.eval.gold import load_gold

    record = {**load_gold(STRIKE), "id": "some_other_article"}
    pred = tmp_path / "pred.jsonl"
    pred.write_text(json.dumps(record) + "\n")
    result = invoke("score", str(STRIKE), "--pred", str(pred), "--bootstrap", "0")
    one_line_error(
        result, "no record id matches a gold document", "'some_other_article'", "'harbour_strike'"
    )


def test_malformed_json_is_described_without_at_at(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text('{"id": "a", "text": "cut here\n{"id": 1,}\n')
    result = invoke("extract", str(corpus), "--nlp.stages", "[]", "--format", "jsonl")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"newspipe: {corpus}:1: malformed JSON (Invalid control character at column 30)",
        f"newspipe: {corpus}:2: malformed JSON "
        "(Expecting property name enclosed in double quotes at column 10)",
    ]



def test_a_lone_surrogate_in_a_jsonl_record_is_a_problem_not_a_traceback(tmp_path: Path) -> None:
    """A JSON escape such as \\ud800 decodes to a string no UTF-8 file can hold: it was a
    UnicodeEncodeError traceback when the record was written (found by the fuzz tests)."""
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(
        '{"id": "a", "text": "Bad \\ud800 text."}\n{"id": "b\\udc00", "text": "Fine."}\n'
    )
    errors, out = tmp_path / "errors.jsonl", tmp_path / "out.jsonl"
    args = ("--nlp.stages", "[]", "-o", str(out), "--errors", str(errors))
    result = invoke("extract", str(corpus), *args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    problem = "is not valid Unicode (a lone surrogate, such as a JSON escape \\ud800)"
    assert result.stderr.splitlines() == [
        f"newspipe: {corpus}:1: 'text' {problem}",
        f"newspipe: {corpus}:2: 'id' {problem}",
        f"newspipe: {out}: no document was extracted; the file was left as it was",
    ]
    logged = [json.loads(line) for line in errors.read_text().splitlines()]
    assert [e["id"] for e in logged] == ["a", None]

@pytest.mark.model
def test_the_error_log_names_ids_that_are_known(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(
        json.dumps({"id": "ok", "text": ARTICLE}) + "\n"
        + json.dumps({"id": "blank", "text": "   "}) + "\n"
        + json.dumps({"text": "  "}) + "\n"
        + "{broken\n"
    )
    errors, out = tmp_path / "errors.jsonl", tmp_path / "o.jsonl"
    result = invoke("extract", str(corpus), "-o", str(out), "--errors", str(errors))
    assert result.exit_code == 2
    logged = [json.loads(line) for line in errors.read_text().splitlines()]
    assert [(e["id"], e["error"]) for e in logged] == [
        ("blank", "empty text"),  # its own id
        ("c-3", "empty text"),  # the id it would have had
        (None, "malformed JSON (Expecting property name enclosed in double quotes at column 2)"),
    ]


@pytest.mark.model
def test_a_numeric_stance_target_works_as_a_setting_as_with_target(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE)
    outputs = []
    for option in (["--components.stance.target", "42"], ["--target", "42"]):
        out = tmp_path / f"{option[0].strip('-')}.jsonl"
        result = invoke("extract", str(article), *option, "-o", str(out))
        assert result.exit_code == 0, result.output
        outputs.append(json.loads(out.read_text()))
    assert outputs[0] == outputs[1] and outputs[0]["target"] == "42"
