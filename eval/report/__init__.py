"""Score reports: the tables as data (:mod:`newspipe.eval.report.tables`) and the HTML page
(:mod:`newspipe.eval.report.html`)."""

from newspipe.eval.report.html import render_report

__all__ = ["render_report"]
