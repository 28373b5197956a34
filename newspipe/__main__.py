"""``python -m newspipe``."""

from newspipe.console import main

main()
