"""The page machinery shared by every HTML output: one Jinja2 environment over
``templates/`` with autoescaping on, and :func:`render_page`.

Every page extends ``base.html.j2`` (head, inline CSS from ``base.css``, a content security
policy that allows no script and no fetch, header and footer), so the score report, the
article view and any later page look alike and are self-contained. Autoescaping is on for
every template: text from data (article text, ids, names, labels, evidence) is escaped by
default, and only markup that newspipe builds itself (displaCy's entity HTML, whose text and
labels are escaped, see :func:`newspipe.eval.report.article.entities_markup`) is passed as
:class:`markupsafe.Markup`.
"""

from __future__ import annotations

from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from newspipe.eval.report.tables import format_value

TEMPLATES = Path(__file__).parent / "templates"


def _version() -> str:
    try:
        return version("newspipe")
    except PackageNotFoundError:  # running from a checkout that is not installed
        return "(not installed)"


@cache
def environment() -> Environment:
    """The Jinja2 environment of newspipe's pages (autoescaping on, undefined names an error)."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["value"] = lambda value, interval=None: format_value(value, interval)
    env.filters["rate"] = rate
    env.filters["percent"] = lambda share: f"{share:.0%}"
    env.globals["newspipe_version"] = _version()
    return env


def rate(value: float | None) -> str:
    """A words/s figure with thousands separators, or a dash."""
    return "—" if value is None else f"{value:,.0f}"


def render_page(template: str, **context: Any) -> str:
    """Render one of the templates (``score.html.j2``, ``article.html.j2`` …) to a page."""
    return environment().get_template(template).render(**context)
