"""``python -m newspipe``."""

from newspipe.cli import main

main()
