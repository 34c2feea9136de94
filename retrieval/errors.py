"""Errors whose messages are safe to show a user: they name the file and the reason."""


class RecruitError(Exception):
    """Base class: the message is shown to the user as one line."""


class DocumentError(RecruitError):
    """A file could not be read into text (corrupt, encrypted, scanned, empty, unsupported)."""

    def __init__(self, source: str, reason: str):
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class StoreError(RecruitError):
    """The store could not be reached or written."""


class ConfigError(RecruitError):
    """A setting is missing or malformed; the message names the variable."""
