"""Gold data for scoring: our gold files and public data sets, all turned into records.

Every loader returns a :class:`GoldSet`: gold records (the contract of
:mod:`newspipe.pipeline.records`) plus what the set annotates, so the same scorers run on all
of them.
``KIND:PATH`` names a public set (the JSONL formats of ``../shared/data``, read with the
``datasets`` library):

========================  ==============================================  =====================
kind                      gold layers (records)                           scored stages
========================  ==============================================  =====================
``golden-rules``          sentences (strings, located in order)           sentences
``gum``                   sentences (``[start, end]`` offsets)            sentences
``polnear``               quotes: content, cue, speaker spans, type       quotes
``conll``                 sentences (lines), entities (IOB tags)          entities
``stance``                one quote = the whole text, its stance          stance
========================  ==============================================  =====================

Mappings: for ``conll`` the model's OntoNotes labels are mapped onto CoNLL's PER / LOC / ORG
/ MISC (:data:`newspipe.eval.scorers.CONLL_LABELS`; a file labelled with OntoNotes labels is
scored on them unmapped, and PERSON / LOCATION / ORGANIZATION are read as CoNLL's); for
``stance`` the data sets' labels are mapped onto FAVOR / AGAINST / NONE
(:data:`~newspipe.pipeline.stages.PUBLIC_STANCE_LABELS`).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from newspipe.eval.scorers.entities import CONLL_LABELS
from newspipe.pipeline.files import MAX_DATA_BYTES, read_bounded
from newspipe.pipeline.records import Record
from newspipe.pipeline.stages import QUOTE_TYPES, STAGE_NAMES, stance_label

STAGES: tuple[str, ...] = STAGE_NAMES
KINDS: tuple[str, ...] = ("golden-rules", "gum", "polnear", "conll", "stance")
MODES: tuple[str, ...] = ("isolated", "end-to-end")


class DatasetError(ValueError):
    """A data set that cannot be read; the message is one line."""


class DatasetSpecError(DatasetError):
    """A data set named otherwise than ``KIND:PATH``.

    Attributes:
        spec: What was given.
        kinds: The kinds there are.
    """

    def __init__(self, spec: str, kinds: Sequence[str]) -> None:
        self.spec, self.kinds = spec, tuple(kinds)
        super().__init__(f"a data set is named KIND:PATH, not '{spec}' (kinds: {', '.join(kinds)})")


class GoldSetError(DatasetError):
    """Gold files with problems: the first problem, and how many more there are.

    Attributes:
        first: The first problem line.
        more: How many other problems there are.
    """

    def __init__(self, first: str, more: int) -> None:
        self.first, self.more = first, more
        super().__init__(first + (f" (and {more} more)" if more else ""))


@dataclass
class GoldSet:
    """Gold records and what they annotate.

    Attributes:
        kind: ``gold`` (our gold files) or one of :data:`KINDS`.
        source: Where the records came from (paths, as given).
        records: The gold records, one per document; ids are unique.
        layers: Layers the records annotate (used as gold input in isolated mode).
        scored: Stages to score.
        speaker_names: Whether quotes carry gold canonical speaker names.
        label_map: Maps predicted entity labels onto the gold label set (None: same labels).
        modes: Modes the set can be scored in.
        problems: Items that were skipped, one line each.
    """

    kind: str
    source: str
    records: list[Record]
    layers: frozenset[str]
    scored: frozenset[str]
    speaker_names: bool = True
    label_map: Mapping[str, str | None] | None = None
    modes: tuple[str, ...] = MODES
    problems: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- helpers


def _span(text: str, start: int, end: int) -> dict[str, Any]:
    return {"start": start, "end": end, "text": text[start:end]}


def _record(doc_id: str, text: str, **layers: Any) -> Record:
    return {
        "id": doc_id,
        "text": text,
        "target": layers.get("target"),
        "sentences": layers.get("sentences", []),
        "entities": layers.get("entities", []),
        "quotes": layers.get("quotes", []),
    }


def _unique_ids(records: list[Record], problems: list[str], source: str) -> list[Record]:
    seen: set[str] = set()
    kept = []
    for record in records:
        if record["id"] in seen:
            problems.append(f"{source}: duplicate id '{record['id']}' skipped")
            continue
        seen.add(record["id"])
        kept.append(record)
    return kept


def read_jsonl(path: str | Path) -> list[dict[str, Any]]:
    """The rows of a JSONL file, read with ``datasets.load_dataset("json", ...)``.

    Raises:
        DatasetError: If the file is missing, empty or not JSONL.
    """
    path = Path(path)
    if not path.is_file():
        raise DatasetError(f"{path}: no such file")
    import datasets

    datasets.disable_progress_bars()
    datasets.logging.set_verbosity(logging.CRITICAL)  # the error below says it in one line
    try:
        data = datasets.load_dataset("json", data_files=str(path), split="train")
    except Exception as err:  # datasets raises many types for a malformed file
        cause: BaseException = err
        while cause.__cause__ is not None or cause.__context__ is not None:
            cause = cause.__cause__ or cause.__context__  # type: ignore[assignment]
        message = " ".join(str(cause).split())[:200] or type(cause).__name__
        raise DatasetError(f"{path}: cannot be read as JSONL ({message})") from None
    rows = list(data)
    if not rows:
        raise DatasetError(f"{path}: no rows")
    return rows


def _required(row: Mapping[str, Any], keys: Iterable[str], where: str) -> str | None:
    for key in keys:
        if row.get(key) is None:
            return f"{where}: missing '{key}'"
    if not isinstance(row["text"], str) or not row["text"].strip():
        return f"{where}: empty text"
    return None


# --------------------------------------------------------------------------- loaders


def load_golden_rules(path: str | Path) -> GoldSet:
    """``{id, rule, text, sentences: [str]}``: each sentence string is located in order."""
    problems: list[str] = []
    records = []
    for n, row in enumerate(read_jsonl(path), 1):
        where = f"{path}:{n}"
        problem = _required(row, ("text", "sentences"), where)
        text = row["text"]
        sentences = []
        cursor = 0
        for sentence in row.get("sentences") or []:
            start = text.find(sentence, cursor) if problem is None else -1
            if start < 0:
                problem = problem or f"{where}: sentence {sentence[:40]!r} not found in order"
                break
            sentences.append({"start": start, "end": start + len(sentence)})
            cursor = start + len(sentence)
        if problem:
            problems.append(problem)
            continue
        records.append(_record(str(row.get("id") or f"item-{n}"), text, sentences=sentences))
    return GoldSet(
        "golden-rules",
        str(path),
        _unique_ids(records, problems, str(path)),
        layers=frozenset({"sentences"}),
        scored=frozenset({"sentences"}),
        problems=problems,
    )


def _offsets(value: Any, text: str) -> tuple[int, int] | None:
    """``[start, end]`` checked against ``text``; None if not a valid span."""
    if not isinstance(value, list | tuple) or len(value) != 2:
        return None
    start, end = value
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
        return None
    return start, end


def load_gum(path: str | Path) -> GoldSet:
    """``{id, text, sentences: [[start, end]]}``."""
    problems: list[str] = []
    records = []
    for n, row in enumerate(read_jsonl(path), 1):
        where = f"{path}:{n}"
        problem = _required(row, ("text", "sentences"), where)
        spans = [] if problem else [_offsets(s, row["text"]) for s in row["sentences"]]
        if problem is None and (not spans or None in spans):
            problem = f"{where}: a sentence span is not [start, end] inside the text"
        if problem:
            problems.append(problem)
            continue
        sentences = [{"start": span[0], "end": span[1]} for span in spans if span is not None]
        records.append(_record(str(row.get("id") or f"doc-{n}"), row["text"], sentences=sentences))
    return GoldSet(
        "gum",
        str(path),
        _unique_ids(records, problems, str(path)),
        layers=frozenset({"sentences"}),
        scored=frozenset({"sentences"}),
        problems=problems,
    )


def load_polnear(path: str | Path) -> GoldSet:
    """``{id, text, quotes: [{content, cue, speaker: [s, e] | null, type}]}``.

    A discontinuous content (several ``content_spans``) is scored as its envelope
    ``content``. PolNeAR names no canonical speaker, so ``speaker_name_acc`` is not scored.
    """
    problems: list[str] = []
    records = []
    for n, row in enumerate(read_jsonl(path), 1):
        where = f"{path}:{n}"
        problem = _required(row, ("text", "quotes"), where)
        text = row["text"]
        quotes = []
        for i, quote in enumerate(row.get("quotes") or []):
            if problem:
                break
            content = _offsets(quote.get("content"), text)
            parts = {part: _offsets(quote.get(part), text) for part in ("cue", "speaker")}
            bad = [p for p in ("cue", "speaker") if quote.get(p) is not None and parts[p] is None]
            if content is None or bad or quote.get("type") not in QUOTE_TYPES:
                problem = f"{where}: quote {i} has a bad content, cue, speaker or type"
                break
            quotes.append(
                {
                    "content": _span(text, *content),
                    "cue": _span(text, *parts["cue"]) if parts["cue"] else None,
                    "speaker": _span(text, *parts["speaker"]) if parts["speaker"] else None,
                    "speaker_name": None,
                    "type": quote["type"],
                    "stance": None,
                }
            )
        if problem:
            problems.append(problem)
            continue
        quotes.sort(key=lambda q: (q["content"]["start"], q["content"]["end"]))
        records.append(_record(str(row.get("id") or f"doc-{n}"), text, quotes=quotes))
    return GoldSet(
        "polnear",
        str(path),
        _unique_ids(records, problems, str(path)),
        layers=frozenset({"quotes"}),
        scored=frozenset({"quotes"}),
        speaker_names=False,
        modes=("end-to-end",),
        problems=problems,
    )


def load_stance(path: str | Path) -> GoldSet:
    """``{id, text, target, label}``: each item is one document whose whole text (trimmed) is
    one quote, without cue or speaker, typed ``direct``; its gold stance is the mapped label."""
    problems: list[str] = []
    records = []
    for n, row in enumerate(read_jsonl(path), 1):
        where = f"{path}:{n}"
        problem = _required(row, ("text", "target", "label"), where)
        label = stance_label(row.get("label"))
        if problem is None and label is None:
            problem = f"{where}: unknown stance label {row.get('label')!r}"
        if problem:
            problems.append(problem)
            continue
        text = row["text"]
        start = len(text) - len(text.lstrip())
        end = len(text.rstrip())
        quote = {
            "content": _span(text, start, end),
            "cue": None,
            "speaker": None,
            "speaker_name": None,
            "type": "direct",
            "stance": label,
        }
        doc_id = str(row.get("id") or f"item-{n}")
        records.append(_record(doc_id, text, target=str(row["target"]), quotes=[quote]))
    return GoldSet(
        "stance",
        str(path),
        _unique_ids(records, problems, str(path)),
        layers=frozenset({"quotes", "stance"}),
        scored=frozenset({"stance"}),
        speaker_names=False,
        modes=("isolated",),
        problems=problems,
    )


# ---- CoNLL-2003


_IOB_TAG = re.compile(r"O|[BIESLU]-[A-Za-z_][A-Za-z0-9_.-]*")
CONLL_SET = frozenset({"PER", "LOC", "ORG", "MISC"})
CONLL_ALIASES = {
    "PERSON": "PER",
    "LOCATION": "LOC",
    "ORGANIZATION": "ORG",
    "ORGANISATION": "ORG",
    "MISCELLANEOUS": "MISC",
}
"""Other spellings of CoNLL's labels (MUC-style files), used when a file is not OntoNotes."""


def iob_spans(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """Entity token ranges ``(start, end, label)`` from IOB1, IOB2, IOBES or BILOU tags."""
    spans: list[tuple[int, int, str]] = []
    start: int | None = None
    label = ""
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, kind = tag.partition("-")
        prefix = {"L": "E", "U": "S"}.get(prefix, prefix)
        continues = prefix in ("I", "E") and start is not None and kind == label
        if start is not None and not continues:
            spans.append((start, i, label))
            start = None
        if prefix in ("B", "S") or (prefix in ("I", "E") and not continues):
            start, label = i, kind
        if prefix in ("E", "S") and start is not None:
            spans.append((start, i + 1, label))
            start = None
    return spans


def conll_label_map(
    labels: Iterable[str],
) -> tuple[dict[str, str], Mapping[str, str | None] | None]:
    """How to score a CoNLL-format file with gold ``labels``: the renaming of its own labels
    (``PERSON`` → ``PER`` in a MUC-style file) and the map of predicted OntoNotes labels
    (:data:`CONLL_LABELS` for CoNLL's four labels; None when the file uses OntoNotes labels)."""
    from newspipe.pipeline.stages import ENTITY_LABELS

    found = set(labels)
    if found and found <= set(ENTITY_LABELS) and not found <= CONLL_SET:
        return {}, None
    return {label: CONLL_ALIASES[label] for label in found if label in CONLL_ALIASES}, CONLL_LABELS


def _conll_record(doc_id: str, sentences: list[list[tuple[str, str]]]) -> Record:
    """Tokens joined by spaces, sentences by newlines."""
    text_parts: list[str] = []
    offset = 0
    sentence_spans = []
    entities: list[dict[str, Any]] = []
    for sentence in sentences:
        starts = []
        line_start = offset
        for j, (token, _) in enumerate(sentence):
            if j:
                offset += 1
            starts.append(offset)
            offset += len(token)
        line = " ".join(token for token, _ in sentence)
        for s, e, label in iob_spans([tag for _, tag in sentence]):
            begin, end = starts[s], starts[e - 1] + len(sentence[e - 1][0])
            entities.append({"start": begin, "end": end, "label": label})
        sentence_spans.append({"start": line_start, "end": offset})
        text_parts.append(line)
        offset += 1  # the newline
    text = "\n".join(text_parts)
    for entity in entities:
        entity["text"] = text[entity["start"] : entity["end"]]
    return _record(doc_id, text, sentences=sentence_spans, entities=entities)


def read_conll(lines: Iterable[str], name: str) -> Iterator[Record]:
    """Documents of a CoNLL-format file: ``token ... TAG`` per line (the tag last; IOB1, IOB2,
    IOBES or BILOU), blank lines between sentences, ``-DOCSTART-`` lines between documents
    (without them, each sentence is one); ``#`` comment lines are skipped."""
    has_docstart = False
    documents: list[list[list[tuple[str, str]]]] = [[]]
    sentence: list[tuple[str, str]] = []
    for line in lines:
        columns = line.split()
        if not columns or columns[0] == "-DOCSTART-":
            if sentence:
                documents[-1].append(sentence)
                sentence = []
            if columns:
                has_docstart = True
                if documents[-1]:
                    documents.append([])
            continue
        if columns[0].startswith("#") and not _IOB_TAG.fullmatch(columns[-1]):
            continue  # a comment line ("# sent_id = 3"); a "#" token has a tag
        if len(columns) < 2:
            raise DatasetError(f"{name}: line {line.strip()[:40]!r} has no tag column")
        if not _IOB_TAG.fullmatch(columns[-1]):
            raise DatasetError(f"{name}: {columns[-1][:20]!r} is not an IOB tag (O, B-X, I-X)")
        sentence.append((columns[0], columns[-1]))
    if sentence:
        documents[-1].append(sentence)
    if not has_docstart:
        documents = [[s] for doc in documents for s in doc]
    for n, doc in enumerate((d for d in documents if d), 1):
        yield _conll_record(f"{Path(name).stem}-{n}", doc)


def _conll_from_hub(name: str) -> list[Record]:
    """A CoNLL-2003-style hub dataset (``tokens``, ``ner_tags``), validation split."""
    import datasets

    datasets.disable_progress_bars()
    try:
        data = datasets.load_dataset(name, split="validation")
        tag_names = data.features["ner_tags"].feature.names
    except Exception as err:
        message = " ".join(str(err).split())[:160] or type(err).__name__
        raise DatasetError(
            f"conll: '{name}' is not a file, and loading it from the Hugging Face hub failed "
            f"(no network?): {message}"
        ) from None
    records = []
    for n, row in enumerate(data, 1):
        sentence = [(t, tag_names[k]) for t, k in zip(row["tokens"], row["ner_tags"], strict=True)]
        if sentence:
            records.append(_conll_record(f"{name}-{n}", [sentence]))
    return records


def load_conll(path: str | Path) -> GoldSet:
    """A CoNLL-2003 file (or, when ``path`` is not a file, a hub id: needs a network)."""
    source = str(path)
    if Path(path).is_file():
        try:
            with Path(path).open(encoding="utf-8") as handle:
                records = list(read_conll(handle, source))
        except UnicodeDecodeError:
            raise DatasetError(f"{path}: not UTF-8 text") from None
    elif Path(path).suffix or Path(path).exists():
        raise DatasetError(f"{path}: no such file")
    else:
        records = _conll_from_hub(source)
    if not records:
        raise DatasetError(f"{path}: no sentences")
    renamed, label_map = conll_label_map(e["label"] for r in records for e in r["entities"])
    problems = []
    if renamed:
        for record in records:
            for entity in record["entities"]:
                # CoNLL gold labels are not OntoNotes labels (the Record type's)
                entity["label"] = cast(Any, renamed.get(entity["label"], entity["label"]))
        pairs = ", ".join(f"{a} → {b}" for a, b in sorted(renamed.items()))
        problems.append(f"{path}: gold labels read as CoNLL's ({pairs})")
    if label_map is not None:
        unknown = sorted({e["label"] for r in records for e in r["entities"]} - CONLL_SET)
        if unknown:
            problems.append(
                f"{path}: gold labels {', '.join(unknown)} are neither CoNLL's nor OntoNotes'; "
                "no prediction can match them"
            )
    return GoldSet(
        "conll",
        source,
        records,
        layers=frozenset({"sentences", "entities"}),
        scored=frozenset({"entities"}),
        label_map=label_map,
        problems=problems,
    )


LOADERS = {
    "golden-rules": load_golden_rules,
    "gum": load_gum,
    "polnear": load_polnear,
    "conll": load_conll,
    "stance": load_stance,
}


def load_dataset_spec(spec: str) -> GoldSet:
    """A public set named ``KIND:PATH``.

    Raises:
        DatasetError: On an unknown kind or an unreadable file.
    """
    kind, sep, path = spec.partition(":")
    if not sep or not path:
        raise DatasetSpecError(spec, KINDS)
    if kind not in LOADERS:
        raise DatasetError(f"unknown dataset kind '{kind}' (kinds: {', '.join(KINDS)})")
    if Path(path).exists() and not (Path(path).is_file() or Path(path).is_dir()):
        raise DatasetError(f"{path}: not a regular file (a device or a pipe)")
    return LOADERS[kind](path)


def load_gold_set(
    paths: Sequence[str | Path],
    source: str | None = None,
    roots: Sequence[str | Path] = (),
) -> GoldSet:
    """Our gold files (``*.gold.yaml``/``*.gold.json``, or directories of them) via
    :mod:`newspipe.eval.gold`; ``source`` names them in messages (default: the paths);
    ``roots``: folders besides each gold tree's root that articles may lie in.

    Raises:
        DatasetError: With the first problem (and how many more there are).
    """
    from newspipe.eval.gold import GoldError, gold_files, load_gold

    records = []
    try:
        for path in gold_files(paths):
            records.append(load_gold(path, roots))
    except GoldError as err:
        lines = err.lines()
        raise GoldSetError(lines[0], len(lines) - 1) from None
    problems: list[str] = []
    return GoldSet(
        "gold",
        source or " ".join(map(str, paths)),
        _unique_ids(records, problems, "gold"),
        layers=frozenset(STAGES),
        scored=frozenset(STAGES),
        problems=problems,
    )


def read_predictions(path: str | Path) -> tuple[dict[str, Record], list[str]]:
    """Records of a saved extraction (JSONL in our contract), by id, and the problem lines.

    Raises:
        DatasetError: If the file cannot be read.
    """
    from newspipe.pipeline.records import record_problems

    path = Path(path)
    try:
        lines = read_bounded(path, MAX_DATA_BYTES).decode("utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        raise DatasetError(
            f"{path}: cannot read ({getattr(err, 'strerror', None) or err})"
        ) from None
    records: dict[str, Record] = {}
    problems: list[str] = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            problems.append(f"{path}:{n}: malformed JSON ({err.msg})")
            continue
        issues = record_problems(record) if isinstance(record, dict) else ["not a JSON object"]
        if issues:
            problems.append(f"{path}:{n}: {issues[0]}")
            continue
        if record["id"] in records:
            problems.append(f"{path}:{n}: duplicate id '{record['id']}'")
            continue
        records[record["id"]] = record
    if not records:
        first = f" (first problem: {problems[0]})" if problems else ""
        raise DatasetError(f"{path}: no valid record{first}")
    return records, problems
