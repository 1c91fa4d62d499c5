"""hearsay's components are ordinary spaCy factories, found through entry points."""
from __future__ import annotations

import subprocess
import sys


def test_add_pipe_by_name_in_a_fresh_interpreter():
    code = (
        "import spacy\n"
        "from hearsay.nlp.pipeline import resolve_model_name\n"
        "nlp = spacy.load(resolve_model_name())\n"
        "nlp.add_pipe('hearsay_entities'); nlp.add_pipe('hearsay_attribution')\n"
        "doc = nlp('According to the BBC, the vote was delayed.')\n"
        "print(doc._.attributions[0].source.canonical)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "BBC"
