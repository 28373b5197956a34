"""newspipe's command line: ``newspipe extract | score | bench | gold | train``."""

__version__ = "0.1.0"
