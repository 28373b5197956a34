"""Running the pipeline over corpora: reading documents, writing records, and the engines.

- :mod:`~newspipe.pipeline.run.documents`: a document to extract from, and the problem with
  one that cannot be read;
- :mod:`~newspipe.pipeline.run.readers`: ``.txt`` files, directories, JSONL, stdin, and (through
  :mod:`~newspipe.pipeline.run.tables`) CSV, Parquet, saved and hub datasets;
- :mod:`~newspipe.pipeline.run.writers`: JSONL or Parquet output, atomic and resumable;
- :mod:`~newspipe.pipeline.run.extract`: documents → records in batches, in worker processes;
- :mod:`~newspipe.pipeline.run.local` and :mod:`~newspipe.pipeline.run.ray`: the two engines.
"""
