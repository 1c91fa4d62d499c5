"""Errors a user can act on.

Every failure that comes from the input (not from a bug) is an ``InputError``
with a one-line message; the CLI prints ``<input>: <reason>`` and exits 2.
"""
from __future__ import annotations


class InputError(Exception):
    """The input cannot be read or analysed; ``str(err)`` is a one-line reason."""

    def __init__(self, reason: str, stage: str = "read") -> None:
        super().__init__(reason)
        self.reason = reason
        self.stage = stage
