from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from newspipe.pipeline import build


def test_alias_may_name_a_model_directory_inside_a_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "vendored_model_pkg"
    (package / "_model").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "_model" / "meta.json").write_text("{}")
    (package.parent / "vendored_model_pkg-0.1.dist-info").mkdir()
    (package.parent / "vendored_model_pkg-0.1.dist-info" / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: vendored-model-pkg\nVersion: 0.1\n"
    )
    aliases = tmp_path / "aliases.json"
    aliases.write_text(
        json.dumps({"xx_fake_md": ["not_installed_pkg", "vendored_model_pkg/_model"]})
    )
    monkeypatch.setattr(build, "MODEL_ALIASES", aliases)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "vendored_model_pkg", raising=False)
    assert build.resolve_model_name("xx_fake_md") == str(package / "_model")
    assert build.resolve_model_name("xx_unknown") == "xx_unknown"
