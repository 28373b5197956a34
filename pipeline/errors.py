"""The one error type the pipeline raises for bad configuration or input."""


class PipelineError(ValueError):
    """A problem the user can fix: bad config, missing model, unreadable resource or input.

    Its message is one line that names the input and the problem.
    """
