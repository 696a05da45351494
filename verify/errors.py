"""Exceptions raised for problems a user can fix.

The command turns any :class:`VerifyError` into one line on stderr and exit status 1
(2 for :class:`UnsafeOutputError`, a usage error); anything else is a bug and keeps its
traceback.
"""


class VerifyError(Exception):
    """Base class: a problem with the input, the configuration or the environment."""


class InputError(VerifyError, ValueError):
    """Text or file input that cannot be used (empty, too long, not text, malformed)."""


class UnknownModelError(VerifyError, KeyError):
    """A model name that is neither in the registry nor a local folder nor a hub id."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class ModelUnavailableError(VerifyError, OSError):
    """A known model that cannot be loaded here (not downloaded, no network, broken folder)."""


class IndexFormatError(VerifyError):
    """An index folder that cannot be used: another version, bad checksum, missing files."""


class UnsafeOutputError(InputError):
    """An output folder that holds files verify did not write: verify refuses to replace or
    mix into it rather than risk deleting them."""


class CheckTimeoutError(VerifyError):
    """A check stopped because it ran past the time budget it was given."""
