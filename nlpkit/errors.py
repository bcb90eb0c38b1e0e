"""Errors that reach the user: each message says what was wrong, where, and what to do."""

from __future__ import annotations


class NlpkitError(Exception):
    """Base class: the CLI prints the message on one line and exits with `exit_code`."""

    exit_code = 1


class UsageError(NlpkitError):
    """The command was called wrongly (bad option value, unknown name)."""

    exit_code = 2


class InputError(NlpkitError):
    """An input file or record cannot be read as an article."""


class DataError(NlpkitError):
    """Training or evaluation data cannot be used as given."""


class ModelError(NlpkitError):
    """A model folder is missing, not a model, tampered with, or unusable."""


class OutputError(NlpkitError):
    """An output cannot be written (exists without --force, or not writable)."""


class UnknownNameError(UsageError):
    """A registry lookup failed; the message lists the known names."""
