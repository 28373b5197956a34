"""Engines that run the pipeline beyond one process (Ray Data); each imports its framework
lazily."""
