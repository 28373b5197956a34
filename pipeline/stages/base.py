"""What every stage shares: the component protocol (after spaCy's ``TrainablePipe``) and the
handling of the data files a component is built on.

A stage computes in ``predict(docs)`` and changes nothing; ``set_annotations(docs, preds)``
writes. ``__call__`` and ``pipe`` are built on the two, so each stage writes only those.
``score(examples)`` runs the scorer named in the component's config, as spaCy's
``Language.evaluate`` (and ``spacy evaluate``) expects of every component.

A component whose word lists, rule tables or model come from files (:class:`DataFiles`) reads
them lazily: on ``initialize()`` (newspipe's build calls it at once, so a bad file is an error
before any text is read), on first use, or from a saved pipeline by ``from_disk``. It keeps the
bytes it read, and ``to_disk`` writes them into the pipeline directory, so a saved pipeline
carries its data and loads anywhere: the paths in its config are never read again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from spacy import ty
from spacy.tokens import Doc
from spacy.training import Example
from spacy.util import minibatch

from newspipe.pipeline.errors import PipelineError
from newspipe.pipeline.files import MAX_DATA_BYTES, read_bounded

SPACY_PROTOCOL_NAMES = frozenset(
    name
    for protocol in (ty.TrainableComponent, ty.InitializableComponent, ty.ListenedToComponent)
    for name in (*vars(protocol), *getattr(protocol, "__annotations__", {}))
    if not name.startswith("_")
)
"""Attributes spaCy looks for with ``hasattr`` when a component is added (its runtime
protocols): a data attribute may not have one of these names, or adding the component would
load its data, or fail on a missing file, depending on the order a set of names is iterated."""

Scorer = Callable[..., dict[str, Any]]
"""A stage's scorer: ``(examples, **options) -> scores`` (spaCy's ``scorers`` registry)."""


class BatchComponent:
    """Base of newspipe's stages: ``__call__`` and batched ``pipe`` over predict/set_annotations,
    and ``score`` through the scorer its factory was given (the stage table names it)."""

    name: str
    scorer: Scorer | None = None

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

    def score(self, examples: Iterable[Example], **kwargs: Any) -> dict[str, Any]:
        """The stage's scores on ``examples`` (predicted and reference Docs), as spaCy's
        ``Language.evaluate`` asks every component for them."""
        return {} if self.scorer is None else self.scorer(examples, **kwargs)


class DataFiles:
    """A component built on data files, read lazily and saved with the pipeline.

    A subclass names the files it needs (:meth:`data_sources`: the name each has in a saved
    pipeline → where to read it now), reads them (:meth:`read_data`, which sets the attributes
    listed in :attr:`data_attributes`), and gets loading on first use, ``initialize``,
    ``to_disk`` and ``from_disk`` from this class.
    """

    data_attributes: ClassVar[frozenset[str]] = frozenset()
    """Attributes that :meth:`read_data` sets; reading one before loading loads the data."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        clash = cls.data_attributes & SPACY_PROTOCOL_NAMES
        if clash:
            raise TypeError(
                f"{cls.__name__}: data attribute(s) {', '.join(sorted(clash))} are names "
                "spaCy checks with hasattr when a component is added"
            )

    def data_sources(self) -> dict[str, Path]:
        """The files to read: name in a saved pipeline directory → path (from the config)."""
        raise NotImplementedError

    def read_data(self, files: Mapping[str, Path]) -> None:
        """Read the data from ``files`` (keys as in :meth:`data_sources`) into attributes."""
        raise NotImplementedError

    def load_data(self, files: Mapping[str, Path] | None = None) -> None:
        """Read the data (default: from :meth:`data_sources`) and keep the files' bytes."""
        files = dict(self.data_sources() if files is None else files)
        contents: dict[str, bytes] = {}
        for name, path in files.items():  # first: only regular files, of bounded size
            try:
                contents[name] = read_bounded(path, MAX_DATA_BYTES)
            except FileNotFoundError:
                pass  # read_data says what is missing, in its own terms
            except OSError as err:
                raise PipelineError(f"{path}: cannot read ({err.strerror or err})") from None
        self.read_data(files)
        for name, path in files.items():
            if name not in contents:
                try:
                    contents[name] = read_bounded(path, MAX_DATA_BYTES)
                except OSError as err:
                    raise PipelineError(f"{path}: cannot read ({err.strerror or err})") from None
        self.__dict__["_data_files"] = contents

    def ensure_data(self) -> None:
        """Load the data unless it is loaded."""
        if "_data_files" not in self.__dict__:
            self.load_data()

    def initialize(
        self, get_examples: Callable[[], Iterable[Example]] | None = None, **_: Any
    ) -> None:
        """Load the data files now (spaCy's ``nlp.initialize`` calls this too)."""
        self.ensure_data()

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Write the data files into ``path`` (a directory)."""
        self.ensure_data()
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        for name, data in self.__dict__["_data_files"].items():
            target = path / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> DataFiles:
        """Read the data files from ``path``, written by :meth:`to_disk`."""
        path = Path(path)
        self.load_data({name: path / name for name in self.data_sources()})
        return self

    if not TYPE_CHECKING:  # mypy keeps checking attribute names

        def __getattr__(self, name: str) -> Any:
            if name in type(self).data_attributes and "_data_files" not in self.__dict__:
                self.ensure_data()
                return getattr(self, name)
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
