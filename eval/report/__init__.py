"""Score reports: the tables as data (:mod:`eval.report.tables`) and the HTML page
(:mod:`eval.report.html`)."""

from eval.report.html import render_report

__all__ = ["render_report"]
