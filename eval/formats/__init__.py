"""Standard annotation formats for gold records: brat standoff and spaCy DocBin, both ways."""
