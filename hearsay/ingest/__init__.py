"""Readers: turn an input (file, URL, stdin, text) into a ``RawArticle``.

Each reader is a small module (``html``, ``dump``, ``fetch``, ``detect``);
``read_input`` picks one, auto-detected or forced with ``as_``.
"""
from hearsay.ingest.detect import FORMATS, MAX_INPUT_BYTES, read_input
from hearsay.ingest.model import RawArticle, Removed

__all__ = ["FORMATS", "MAX_INPUT_BYTES", "RawArticle", "Removed", "read_input"]
