"""Evaluation of newspipe: gold annotations, standard formats, scorers and benchmarks."""
