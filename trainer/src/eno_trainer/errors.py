"""Errors the entry scripts turn into one clear line and a non-zero exit status."""

from __future__ import annotations

EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_DATA = 3
EXIT_SERVER = 4
EXIT_EXPORT = 5
EXIT_INTERRUPTED = 130


class TrainerError(Exception):
    """A problem a person can act on; `exit_code` says which kind (see the EXIT_* constants)."""

    def __init__(self, message: str, exit_code: int = EXIT_FAILED) -> None:
        super().__init__(message)
        self.exit_code = exit_code


class DataError(TrainerError):
    """The training data is missing, empty or unusable."""

    def __init__(self, message: str) -> None:
        super().__init__(message, EXIT_DATA)


class ServerError(TrainerError):
    """The ClearML server cannot be reached or refused a request."""

    def __init__(self, message: str) -> None:
        super().__init__(message, EXIT_SERVER)


class ExportCheckError(TrainerError):
    """The exported graph does not reproduce the trained head; nothing is published."""

    def __init__(self, message: str) -> None:
        super().__init__(message, EXIT_EXPORT)
