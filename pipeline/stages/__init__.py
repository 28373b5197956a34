"""newspipe's four stages as spaCy components: sentences, entities, quotes and stance."""
