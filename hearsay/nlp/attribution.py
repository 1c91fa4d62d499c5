"""The ``hearsay_attribution`` spaCy component: who says what, how sure.

Rules over the dependency parse find three kinds of cue:

* verbs of saying and thinking (``said``, ``reports that``, ``believe``,
  ``as revealed by``), chosen by a lexicon learned from PolNeAR train plus a core
  list, and required to govern a content (a clause, a quote, an object);
* ``according to X`` and similar prepositional cues;
* sourceless hedging adverbs (``reportedly``, ``allegedly``).

Each attribution gets source / cue / content spans, a nesting ``parent`` (an
attribution whose cue lies inside another's content), a ``certainty`` and a
``quote`` type; sources get a ``kind`` and a ``canonical`` name (see
``sources.py``). Results are on ``doc._.attributions``.
"""
from __future__ import annotations

from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from hearsay.nlp import DEFAULT_ATTRIBUTION, lexicon
from hearsay.nlp.certainty import certainty_of
from hearsay.nlp.quotes import containing, quotations
from hearsay.nlp.sources import describe_source

QUOTES_OPEN = {'"', "“", "‘", "«", "'"}
QUOTES_CLOSE = {'"', "”", "’", "»", "'"}
QUOTE_CHARS = QUOTES_OPEN | QUOTES_CLOSE
CLAUSAL = {"ccomp", "xcomp", "csubj"}
SUBJECTS = {"nsubj", "nsubjpass", "csubj"}
CUE_MODIFIERS = {"aux", "auxpass", "neg"}
CUE_ADVERBS = {"also", "previously", "later", "repeatedly", "publicly", "reportedly", "again", "once",
               "recently", "earlier", "already", "further", "similarly", "privately", "then", "not", "never"}
DASHES = {"―", "—", "–", "--"}
OBJECT_TAIL = {"dobj", "oprd", "prep", "xcomp", "ccomp", "dative", "attr", "acomp"}
STATEMENT_VENUES = {"statement", "interview", "tweet", "letter", "release", "post", "email", "op", "speech",
                    "message", "video", "op-ed", "column", "essay", "briefing", "memo", "filing", "report"}

if not Doc.has_extension("attributions"):
    Doc.set_extension("attributions", default=[])


@dataclass
class SpanRef:
    """A character span of the article text."""

    text: str
    start: int
    end: int

    @classmethod
    def of(cls, span: Span) -> SpanRef:
        return cls(span.text, span.start_char, span.end_char)


@dataclass
class Source(SpanRef):
    kind: str = "unspecified"
    canonical: str | None = None


@dataclass
class Attribution:
    """One attribution: ``source`` says ``content``, signalled by ``cue``."""

    id: str
    parent: str | None
    quote: str
    certainty: str
    source: Source | None
    cue: SpanRef
    content: SpanRef


@dataclass
class _Found:
    """A raw rule hit, in token indices, before ids, nesting and certainty."""

    cue: tuple[int, int]
    content: tuple[int, int]
    source: tuple[int, int] | None
    cue_head: int


# --------------------------------------------------------------------------- component

@Language.factory(
    "hearsay_attribution",
    default_config={"mode": DEFAULT_ATTRIBUTION, "model_dir": "", "min_cue_p": 0.15, "min_object_cue_p": 0.5,
                    "min_rule_precision": 0.3, "calibrated": True},
)
def make_attribution(nlp: Language, name: str, mode: str, model_dir: str, min_cue_p: float,
                     min_object_cue_p: float, min_rule_precision: float, calibrated: bool):
    """``mode``: ``learned`` (the model trained on PolNeAR, the default, see docs/attribution.md) or
    ``rules`` (the dependency rules: the fast profile). ``model_dir`` overrides the shipped model."""
    rules = AttributionTagger(min_cue_p, min_object_cue_p, min_rule_precision, calibrated)
    if mode not in ("learned", "rules"):
        raise ValueError(f"hearsay_attribution mode must be rules or learned, not {mode!r}")
    if mode == "rules":
        return rules
    from pathlib import Path

    from hearsay.nlp.learned import MODEL_DIR, LearnedAttributionTagger

    folder = Path(model_dir) if model_dir else MODEL_DIR
    if not (folder / "meta.json").exists():
        raise FileNotFoundError(f"no attribution model in {folder} (train one with `hearsay train attribution`)")
    return LearnedAttributionTagger(folder, rules)


class AttributionTagger:
    """Finds attributions with dependency rules; see the module docstring."""

    def __init__(self, min_cue_p: float = 0.15, min_object_cue_p: float = 0.5,
                 min_rule_precision: float = 0.3, calibrated: bool = True) -> None:
        self.min_cue_p = min_cue_p
        self.min_object_cue_p = min_object_cue_p
        self.lexicon = lexicon.cue_lexicon()
        self.precision = lexicon.rule_precision()
        self.min_rule_precision = min_rule_precision
        self.calibrated = calibrated

    def __call__(self, doc: Doc) -> Doc:
        quotes = quotations(doc)
        found: list[_Found] = []
        for sent in doc.sents:
            found.extend(self._in_sentence(doc, sent, quotes))
        found = [hit for hit in _dedupe(found) if self._trusted(doc, hit, quotes)]
        _share_coordinated(doc, found)
        for hit in found:
            hit.content = _grow_to_quotes(doc, hit, quotes)
        doc._.attributions = finalise(doc, found)
        return doc

    # ------------------------------------------------------------------ per sentence
    def _in_sentence(self, doc: Doc, sent: Span, quotes: list[tuple[int, int]]) -> list[_Found]:
        hits: list[_Found] = []
        for tok in sent:
            low = tok.lower_
            if low == "according" and any(c.lower_ == "to" for c in tok.children):
                hit = _according_to(doc, sent, tok)
            elif low in lexicon.SOURCELESS_ADVERBS and tok.dep_ == "advmod":
                hit = _sourceless_adverb(doc, sent, tok)
            elif is_dash(tok):
                hit = _dash_signature(doc, tok, quotes)
            elif tok.pos_ in ("VERB", "AUX") and tok.dep_ not in ("aux", "auxpass"):
                hit = self._verb_cue(doc, sent, tok, quotes)
            elif tok.text == ":" and tok.i - sent.start <= 6:
                hit = _headline_colon(doc, sent, tok)
            else:
                hit = None
            if hit is not None:
                hits.append(hit)
        return hits

    def _trusted(self, doc: Doc, hit: _Found, quotes: list[tuple[int, int]]) -> bool:
        """Drop rule hits of a kind that was mostly wrong on PolNeAR train (see calibration)."""
        if not self.calibrated or doc[hit.cue_head].lower_ in lexicon.SOURCELESS_ADVERBS:
            # Hedging adverbs are kept whatever PolNeAR thinks: users need every "allegedly".
            return True
        stats = self.precision.get(rule_key(doc, hit, quotes))
        return stats is None or stats[1] < 5 or stats[0] / stats[1] >= self.min_rule_precision

    def _cue_p(self, tok: Token) -> float:
        lemma = tok.lemma_.lower()
        p = self.lexicon.get(f"VERB:{lemma}", 0.0)
        if lemma in lexicon.CORE_CUE_VERBS:
            p = max(p, self.min_cue_p)
        return p

    def _verb_cue(self, doc: Doc, sent: Span, verb: Token, quotes: list[tuple[int, int]]) -> _Found | None:
        p = self._cue_p(verb)
        if p < self.min_cue_p * 0.5:
            return None
        content = _clausal_content(doc, sent, verb)
        if content is None and p >= self.min_object_cue_p:
            content = _object_content(verb)
        if content is None and p >= self.min_cue_p:
            content = _host_clause_content(sent, verb) or _adjacent_quote(doc, verb, quotes)
        if content is None:
            return None
        if p < self.min_cue_p and not _has_clause(verb):
            return None
        source = _subject_source(verb)
        cue = _cue_extent(verb, content, source)
        if _overlaps(cue, content):
            return None
        return _Found(cue=cue, content=content, source=source, cue_head=verb.i)


# --------------------------------------------------------------------------- rules

def _has_clause(verb: Token) -> bool:
    return any(c.dep_ in ("ccomp",) for c in verb.children) or verb.dep_ == "parataxis"


def _extent(tok: Token) -> tuple[int, int]:
    sub = list(tok.subtree)
    return sub[0].i, sub[-1].i + 1


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    """Drop punctuation (but not quote marks) at both edges."""
    while start < end and doc[start].is_punct and doc[start].text not in QUOTE_CHARS:
        start += 1
    while end > start and doc[end - 1].is_punct and doc[end - 1].text not in QUOTE_CHARS and doc[end - 1].text != "?":
        end -= 1
    return (start, end) if end > start else None


def _with_quotes(doc: Doc, start: int, end: int, sent: Span) -> tuple[int, int]:
    """Grow a content span to take in the quotation marks (and the comma inside them) around it."""
    if start > sent.start and doc[start - 1].text in QUOTES_OPEN:
        start -= 1
        j = end
        while j < sent.end and doc[j].is_punct and doc[j].text not in QUOTE_CHARS and j - end < 2:
            j += 1
        if j < sent.end and doc[j].text in QUOTES_CLOSE:
            end = j + 1
    return start, end


def _clausal_content(doc: Doc, sent: Span, verb: Token) -> tuple[int, int] | None:
    """The clause a verb of saying governs: ``ccomp`` ("said that X", "X, he said")."""
    for child in verb.children:
        if child.dep_ == "ccomp" or (child.dep_ == "xcomp" and child.i > verb.i):
            start, end = _extent(child)
            end = _cut_at_contrast(doc, start, end, child)
            trimmed = _trim(doc, start, end)
            if trimmed:
                return _with_quotes(doc, *trimmed, sent)
    if verb.dep_ == "parataxis" and verb.head.i < verb.i:
        # "The meeting was fine, he said." parsed with 'said' hanging off the clause.
        head = verb.head
        tokens = [t for t in head.subtree if not (verb.left_edge.i <= t.i <= verb.right_edge.i)]
        if tokens:
            trimmed = _trim(doc, tokens[0].i, tokens[-1].i + 1)
            if trimmed and trimmed[1] <= verb.left_edge.i:
                return _with_quotes(doc, *trimmed, sent)
    return None


def _cut_at_contrast(doc: Doc, start: int, end: int, head: Token) -> int:
    """End a clause before a "while/whereas …" clause that the parser folded into it."""
    subjects = [c for c in head.children if c.dep_ in SUBJECTS]
    for tok in doc[start + 1:end]:
        if tok.lower_ in ("while", "whereas") and tok.dep_ == "mark" and len(subjects) > 1:
            return tok.i
    return end


def _object_content(verb: Token) -> tuple[int, int] | None:
    """"reported discussions in Norway", "pointed to the polls": the object is the content."""
    right = sorted((c for c in verb.children if c.i > verb.i), key=lambda t: t.i)
    for n, child in enumerate(right):
        if child.dep_ in ("dobj", "attr", "dative"):
            start, end = _extent(child)
        elif child.dep_ == "prep" and child.i == verb.i + 1:
            pobj = [g for g in child.children if g.dep_ == "pobj"]
            if not pobj:
                continue
            start, end = _extent(pobj[0])
        else:
            continue
        for later in right[n + 1:]:
            # "called Burma a good news story", "accused the GOP of stoking …"
            if later.dep_ not in OBJECT_TAIL:
                break
            end = max(end, later.right_edge.i + 1)
        return start, end
    return None


def _host_clause_content(sent: Span, verb: Token) -> tuple[int, int] | None:
    """"…, as revealed by X" / "…, as X reported": the content is the clause the cue modifies."""
    if verb.dep_ != "advcl" or not any(c.lower_ in ("as",) and c.dep_ == "mark" for c in verb.children):
        return None
    return _outside(sent, verb.head, verb)


def _outside(sent: Span, head: Token, cut: Token) -> tuple[int, int] | None:
    """The larger contiguous part of ``head``'s clause on one side of ``cut``'s subtree."""
    doc = sent.doc
    left_edge, right_edge = cut.left_edge.i, cut.right_edge.i + 1
    start, end = _extent(head)
    before = _trim(doc, start, left_edge) if left_edge > start else None
    after = _trim(doc, right_edge, end) if end > right_edge else None
    sides = [s for s in (before, after) if s]
    if not sides:
        return None
    return max(sides, key=lambda s: s[1] - s[0])


def _according_to(doc: Doc, sent: Span, according: Token) -> _Found | None:
    to = next(c for c in according.children if c.lower_ == "to")
    pobj = [c for c in to.children if c.dep_ == "pobj"]
    if not pobj:
        return None
    source = _extent(pobj[0])
    head = according.head if according.head.i != according.i else according
    if head.i == according.i or (head.left_edge.i >= according.i and head.right_edge.i <= to.right_edge.i):
        head = sent.root
    content = _outside(sent, head, according)
    if content is None:
        return None
    return _Found(cue=(according.i, to.i + 1), content=content, source=source, cue_head=according.i)


def _sourceless_adverb(doc: Doc, sent: Span, adverb: Token) -> _Found | None:
    head = adverb.head
    start, end = _extent(head)
    for child in head.children:
        # "X reportedly met, as revealed by Y": the "as …" clause is a cue of its own.
        if child.dep_ == "advcl" and child.i > adverb.i and any(g.dep_ == "mark" for g in child.children):
            end = min(end, child.left_edge.i)
    trimmed = _trim(doc, start, end)
    if not trimmed:
        return None
    return _Found(cue=(adverb.i, adverb.i + 1), content=trimmed, source=None, cue_head=adverb.i)


def _adjacent_quote(doc: Doc, verb: Token, quotes: list[tuple[int, int]]) -> tuple[int, int] | None:
    """'“…,” he said' across a sentence break, or 'said: “…”': the quotation next to the cue clause."""
    left = verb.left_edge.i
    for start, end in quotes:
        if 0 <= left - end <= 2 and all(t.is_punct for t in doc[end:left]):
            return start, end
        if 1 <= start - verb.i <= 2 and all(t.is_punct for t in doc[verb.i + 1:start]):
            return start, end
    return None


def is_dash(tok: Token) -> bool:
    """A dash, or a closing quotation mark glued to one ("”―") by the tokenizer."""
    text = tok.text
    return text in DASHES or (len(text) > 1 and text[-1] in "―—–" and all(c in QUOTE_CHARS for c in text[:-1]))


def _dash_signature(doc: Doc, dash: Token, quotes: list[tuple[int, int]]) -> _Found | None:
    """'“…” ― Sonya Herridge': a quotation signed with a dash and a name."""
    quote = next((q for q in quotes if 0 <= dash.i - q[1] <= 1), None)
    glued = dash.text not in DASHES
    if quote is None and dash.i > 0 and (glued or doc[dash.i - 1].text in QUOTE_CHARS):
        # Marks typed the wrong way round (”…”) defeat pairing: take back to the previous mark.
        start = dash.i - (1 if glued else 2)
        while start >= 0 and doc[start].text not in QUOTE_CHARS and "\n" not in doc[start].text:
            start -= 1
        if start >= 0 and doc[start].text in QUOTE_CHARS:
            quote = (start, dash.i)
    if quote is None:
        return None
    end = dash.i + 1
    while end < len(doc) and end - dash.i <= 8 and not doc[end].is_punct and "\n" not in doc[end - 1].whitespace_ \
            and not doc[end].is_space:
        end += 1
    name = doc[dash.i + 1:end]
    if not name or not any(t.pos_ == "PROPN" for t in name):
        return None
    return _Found(cue=(dash.i, dash.i + 1), content=quote, source=(name.start, name.end), cue_head=dash.i)


def _headline_colon(doc: Doc, sent: Span, colon: Token) -> _Found | None:
    """'Poll: Wealthy Voters Abandon …', 'Trump: …': a short named speaker before a colon."""
    lead = doc[sent.start:colon.i]
    rest = _trim(doc, colon.i + 1, sent.end)
    if not lead or rest is None or rest[1] - rest[0] < 3:
        return None
    named = any(e.label_ in ("PERSON", "ORG", "NORP", "GPE") for e in lead.ents)
    documentish = any(t.lemma_.lower() in lexicon.DOCUMENT_NOUNS for t in lead)
    if not (named or documentish) or any(t.pos_ == "VERB" for t in lead):
        return None
    return _Found(cue=(colon.i, colon.i + 1), content=rest, source=(lead.start, lead.end), cue_head=colon.i)


def _grow_to_quotes(doc: Doc, hit: _Found, quotes: list[tuple[int, int]]) -> tuple[int, int]:
    """A content that touches a quotation takes in the whole quotation, unless the cue is inside it."""
    start, end = hit.content
    for q_start, q_end in quotes:
        overlaps = q_start < end and start < q_end
        if not overlaps or (q_start <= hit.cue[0] < q_end):
            continue
        if q_end <= hit.cue[0] or q_start >= hit.cue[1]:
            lo, hi = min(start, q_start), max(end, q_end)
            if not (lo <= hit.cue[0] < hi):
                start, end = lo, hi
    return start, end


def _share_coordinated(doc: Doc, found: list[_Found]) -> None:
    """'said it was opposed to the test and warned Korea …': a coordinated cue verb without a
    subject ends the first content and shares the first source."""
    for outer in found:
        for inner in found:
            if inner is outer or not (outer.content[0] <= inner.cue[0] < outer.content[1]):
                continue
            verb = doc[inner.cue_head]
            if verb.dep_ != "conj" or any(c.dep_ in SUBJECTS for c in verb.children):
                continue
            cut = min([c.i for c in verb.head.children if c.dep_ == "cc" and c.i < verb.i] + [verb.left_edge.i])
            trimmed = _trim(doc, outer.content[0], cut)
            if trimmed:
                outer.content = trimmed
                if inner.source is None:
                    inner.source = outer.source


def _subject_source(verb: Token) -> tuple[int, int] | None:
    """The speaker: the verb's subject, a passive's ``by`` agent, or a conjoined verb's subject."""
    for child in verb.children:
        if child.dep_ == "agent":
            pobj = [g for g in child.children if g.dep_ == "pobj"]
            if pobj:
                return _extent(pobj[0])
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    if subjects:
        # With a misparse two subjects can hang off one verb; the speaker is the one next to it.
        return _extent(min(subjects, key=lambda c: abs(verb.i - c.i)))
    if verb.dep_ in ("conj", "advcl", "xcomp") and verb.head.pos_ in ("VERB", "AUX"):
        if verb.dep_ == "advcl" and any(c.dep_ == "mark" for c in verb.children):
            return None
        for child in verb.head.children:
            if child.dep_ == "nsubj":
                return _extent(child)
    return None


def _cue_extent(verb: Token, content: tuple[int, int], source: tuple[int, int] | None) -> tuple[int, int]:
    """The verb with its auxiliaries, negation, particle, adjacent adverbs and "in a statement"."""
    start = end = verb.i
    blocked = set(range(*content)) | (set(range(*source)) if source else set())
    left = sorted((c for c in verb.children if c.i < verb.i), key=lambda t: -t.i)
    for child in left:
        if child.i != start - 1 or child.i in blocked:
            break
        if child.dep_ in CUE_MODIFIERS or (child.dep_ == "advmod" and child.lower_ in CUE_ADVERBS):
            start = child.i
        else:
            break
    for child in sorted((c for c in verb.children if c.i > verb.i), key=lambda t: t.i):
        if child.i != end + 1 or child.i in blocked:
            break
        if child.dep_ == "prt":
            end = child.i
        elif child.dep_ == "prep" and content[0] > child.i and any(
            g.dep_ == "pobj" and g.lemma_.lower() in STATEMENT_VENUES for g in child.children
        ):
            end = child.right_edge.i
        else:
            break
    return start, end + 1


def rule_key(doc: Doc, hit: _Found, quotes: list[tuple[int, int]]) -> str:
    """What kind of rule hit this is, for calibration: cue lemma, speaker person, inside a quote."""
    head = doc[hit.cue_head]
    person = "other"
    if hit.source is not None and hit.source[1] - hit.source[0] == 1:
        word = doc[hit.source[0]].lower_
        person = "1/2" if word in ("i", "we", "you") else person
    quoted = "quoted" if containing(quotes, hit.cue[0], hit.cue[1]) else "plain"
    return f"{head.lemma_.lower()}|{person}|{quoted}"


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _dedupe(found: list[_Found]) -> list[_Found]:
    """One attribution per cue head; keep the first found."""
    seen: set[int] = set()
    out = []
    for hit in sorted(found, key=lambda h: h.cue[0]):
        if hit.cue_head in seen:
            continue
        seen.add(hit.cue_head)
        out.append(hit)
    return out


# --------------------------------------------------------------------------- records

def finalise(doc: Doc, found: list[_Found]) -> list[Attribution]:
    """Turn rule hits into ``Attribution`` records with ids, nesting, certainty and sources."""
    records: list[Attribution] = []
    for n, hit in enumerate(found, start=1):
        cue = doc[hit.cue[0]:hit.cue[1]]
        content = doc[hit.content[0]:hit.content[1]]
        source = describe_source(doc, doc[hit.source[0]:hit.source[1]]) if hit.source else None
        records.append(
            Attribution(
                id=f"a{n}",
                parent=None,
                quote=quote_type(content),
                certainty=certainty_of(cue, content),
                source=source,
                cue=SpanRef.of(cue),
                content=SpanRef.of(content),
            )
        )
    _nest(records)
    return records


def _nest(records: list[Attribution]) -> None:
    """An attribution whose cue lies inside another's content is nested in the innermost such one."""
    for rec in records:
        hosts = [
            other for other in records
            if other is not rec
            and other.content.start <= rec.cue.start and rec.cue.end <= other.content.end
            and not (rec.content.start <= other.cue.start and other.cue.end <= rec.content.end)
        ]
        if hosts:
            rec.parent = min(hosts, key=lambda h: h.content.end - h.content.start).id


def quote_type(content: Span) -> str:
    """direct: the content is a quotation; mixed: it contains one; indirect: no quotation marks."""
    text = content.text.strip()
    marks = [ch for ch in text if ch in '"“”«»']
    if not marks:
        return "indirect"
    if text[:1] in '"“«' and text.rstrip(",.")[-1:] in '"”»' and len(marks) == 2:
        return "direct"
    return "mixed"
