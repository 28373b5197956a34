"""One module per sub-command; each is a thin wrapper over a plain function."""
