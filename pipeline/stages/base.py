"""The component protocol every stage shares, after spaCy's ``TrainablePipe``.

A stage computes in ``predict(docs)`` and changes nothing; ``set_annotations(docs, preds)``
writes. ``__call__`` and ``pipe`` are built on the two, so each stage writes only those.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from spacy.tokens import Doc
from spacy.util import minibatch


class BatchComponent:
    """Base of newspipe's stages: ``__call__`` and batched ``pipe`` over predict/set_annotations."""

    name: str

    def predict(self, docs: list[Doc]) -> Any:
        """What the stage finds in ``docs``, without changing them."""
        raise NotImplementedError

    def set_annotations(self, docs: list[Doc], predictions: Any) -> Any:
        """Write ``predictions`` to ``docs``."""
        raise NotImplementedError

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations([doc], self.predict([doc]))
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for batch in minibatch(docs, size=batch_size):
            self.set_annotations(batch, self.predict(batch))
            yield from batch
