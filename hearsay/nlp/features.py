"""Features for the learned attribution model, shared by training and inference.

The model works in three steps, each a linear classifier over hashed sparse
features (plus the parser's own 96-dimensional token vectors for cues):

1. **cue tokens**: is this token part of an attribution cue?
2. **source**: of the nominal phrases around a cue (and "no source"), which is the speaker?
3. **content**: of the clauses, objects, quotations and sentences around a cue, which is said?

Candidates come from the dependency parse, so predicted spans are always whole
phrases; the classifiers learn from PolNeAR train which candidate wins. The
rule tagger's verdict (see ``attribution.py``) is one feature among many.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from hearsay.nlp.quotes import quotations

Span = tuple[int, int]
CONTENT_CHILD_DEPS = {"ccomp", "xcomp", "dobj", "pobj", "oprd", "advcl", "attr", "acomp", "dative", "prep",
                      "parataxis", "csubj", "conj", "npadvmod", "nsubj", "nsubjpass", "acl", "relcl"}
NOMINAL_POS = {"NOUN", "PROPN", "PRON", "NUM"}
SKIP_SOURCE_DEPS = {"compound", "amod", "det", "nummod", "quantmod", "nmod"}
CORE_DROP = {"relcl", "acl", "appos", "prep", "punct", "cc", "conj", "advcl"}
QUOTE_TEXT = {'"', "“", "”", "«", "»", "''", "``"}


def bucket(value: float, edges: tuple[float, ...]) -> int:
    for i, edge in enumerate(edges):
        if value <= edge:
            return i
    return len(edges)


@dataclass
class DocContext:
    """Per-document facts computed once: quotations, rule hits, sentence index."""

    doc: Doc
    quotes: list[Span]
    in_quote: list[bool]
    rule_heads: dict[int, str] = field(default_factory=dict)
    rule_prec: dict[int, int] = field(default_factory=dict)
    rule_cue_tokens: set[int] = field(default_factory=set)
    rule_hits: list = field(default_factory=list)  # the rule tagger's hits
    sent_index: list[int] = field(default_factory=list)
    sents: list = field(default_factory=list)


def doc_context(doc: Doc, rule_tagger=None) -> DocContext:
    quotes = quotations(doc)
    in_quote = [False] * len(doc)
    for start, end in quotes:
        for i in range(start, end):
            in_quote[i] = True
    ctx = DocContext(doc=doc, quotes=quotes, in_quote=in_quote)
    ctx.sents = list(doc.sents)
    ctx.sent_index = [0] * len(doc)
    for n, sent in enumerate(ctx.sents):
        for i in range(sent.start, sent.end):
            ctx.sent_index[i] = n
    if rule_tagger is not None:
        from hearsay.nlp.attribution import _dedupe, rule_key

        hits = []
        for sent in ctx.sents:
            hits.extend(rule_tagger._in_sentence(doc, sent, quotes))
        for hit in _dedupe(hits):
            key = rule_key(doc, hit, quotes)
            ctx.rule_heads[hit.cue_head] = key.split("|", 1)[1] if "|" in key else key
            stats = rule_tagger.precision.get(key)
            ctx.rule_hits.append(hit)
            ctx.rule_prec[hit.cue_head] = -1 if not stats or stats[1] < 5 else bucket(
                stats[0] / stats[1], (0.1, 0.2, 0.3, 0.45, 0.6, 0.75, 0.9))
            ctx.rule_cue_tokens.update(range(*hit.cue))
    return ctx


# --------------------------------------------------------------------------- cues

def is_cue_candidate(tok: Token) -> bool:
    if tok.is_space:
        return False
    if tok.is_punct:
        return tok.text in (":", "―", "—", "–", "--")
    return True


def cue_features(tok: Token, ctx: DocContext, lex: dict[str, float]) -> list[str]:
    lemma, pos, dep = tok.lemma_.lower(), tok.pos_, tok.dep_
    head = tok.head
    q = int(ctx.in_quote[tok.i])
    p = lex.get(f"{pos}:{lemma}", lex.get(f"VERB:{lemma}", 0.0))
    pb = bucket(p, (0.0, 0.05, 0.1, 0.2, 0.3, 0.45, 0.6, 0.75, 0.9))
    f = [
        "bias", f"w={tok.lower_}", f"l={lemma}", f"p={pos}", f"t={tok.tag_}", f"d={dep}",
        f"lp={lemma}|{pos}", f"ld={lemma}|{dep}", f"hl={head.lemma_.lower()}", f"hp={head.pos_}",
        f"hd={head.dep_}", f"d-hd={dep}|{head.dep_}", f"lex={pb}", f"lex-d={pb}|{dep}", f"lex-p={pb}|{pos}",
        f"q={q}", f"q-l={lemma}|{q}", f"q-lex={q}|{pb}",
    ]
    children = list(tok.children)
    deps = {c.dep_ for c in children}
    for d in deps:
        f.append(f"cd={d}")
        f.append(f"l-cd={lemma}|{d}")
        f.append(f"lex-cd={pb}|{d}")
    for c in children:
        if c.dep_ in ("prt", "prep", "aux", "auxpass", "neg", "advmod", "mark"):
            f.append(f"cl={c.dep_}:{c.lower_}")
        if c.dep_ in ("nsubj", "nsubjpass"):
            kind = c.lower_ if c.pos_ == "PRON" else (c.ent_type_ or c.pos_)
            f.append(f"subj={kind}")
            f.append(f"l-subj={lemma}|{kind}")
    if head.i != tok.i:
        f.append(f"hl-d={head.lemma_.lower()}|{dep}")
        hp = lex.get(f"VERB:{head.lemma_.lower()}", 0.0)
        f.append(f"hlex={bucket(hp, (0.1, 0.3, 0.6))}|{dep}")
        if head.i in ctx.rule_heads:
            f.append(f"head-rule|{dep}")
    for off in (-2, -1, 1, 2):
        j = tok.i + off
        if 0 <= j < len(ctx.doc):
            other = ctx.doc[j]
            f.append(f"w{off}={other.lower_}")
            f.append(f"p{off}={other.pos_}")
            if abs(off) == 1:
                f.append(f"l{off}-l={other.lemma_.lower()}|{lemma}")
        else:
            f.append(f"w{off}=<none>")
    if tok.i in ctx.rule_heads:
        f.append(f"rule={ctx.rule_heads[tok.i]}")
        f.append(f"rule-prec={ctx.rule_prec.get(tok.i, -1)}")
        f.append(f"rule-l={lemma}")
    elif tok.i in ctx.rule_cue_tokens:
        f.append(f"rule-in|{dep}")
    if head.head.i != head.i:
        f.append(f"gl={head.head.lemma_.lower()}|{head.dep_}|{dep}")
    for c in head.children:
        if c.i != tok.i and c.dep_ in ("nsubj", "dobj", "ccomp", "xcomp", "prep", "advcl"):
            f.append(f"sib={c.dep_}|{dep}")
    for off in (-3, 3):
        j = tok.i + off
        if 0 <= j < len(ctx.doc):
            f.append(f"w{off}={ctx.doc[j].lower_}")
    if tok.i + 1 < len(ctx.doc):
        f.append(f"bi+={tok.lower_}|{ctx.doc[tok.i + 1].lower_}")
    if tok.i > 0:
        f.append(f"bi-={ctx.doc[tok.i - 1].lower_}|{tok.lower_}")
    f.append(f"lex-q-d={pb}|{q}|{dep}")
    sent = ctx.sents[ctx.sent_index[tok.i]]
    f.append(f"spos={min(tok.i - sent.start, 6)}")
    f.append(f"epos={min(sent.end - tok.i, 6)}")
    if tok.ent_type_:
        f.append(f"ent={tok.ent_type_}")
    return f


# --------------------------------------------------------------------------- spans

def subtree_span(tok: Token) -> Span:
    return tok.left_edge.i, tok.right_edge.i + 1


def core_span(tok: Token) -> Span:
    """A noun phrase without its relative clauses, appositions and prepositional tails."""
    start, end = tok.i, tok.i + 1
    for child in tok.children:
        if child.dep_ in CORE_DROP:
            continue
        start = min(start, child.left_edge.i)
        end = max(end, child.right_edge.i + 1)
    return start, end


def trim(doc: Doc, span: Span) -> Span | None:
    start, end = span
    while start < end and (doc[start].is_space or (doc[start].is_punct and doc[start].text not in QUOTE_TEXT)):
        start += 1
    while end > start and (doc[end - 1].is_space or (doc[end - 1].is_punct and doc[end - 1].text not in QUOTE_TEXT
                                                     and doc[end - 1].text != "?")):
        end -= 1
    return (start, end) if end > start else None


def dep_path(a: Token, b: Token, limit: int = 4) -> str:
    """Dependency path from ``a`` up to the common ancestor and down to ``b``."""
    up_a = [a] + list(a.ancestors)
    index = {t.i: n for n, t in enumerate(up_a)}
    down = []
    node = b
    while node.i not in index:
        down.append(node.dep_)
        if node.head.i == node.i:
            return "xtree"
        node = node.head
    up = [t.dep_ for t in up_a[: index[node.i]]]
    if len(up) + len(down) > limit:
        return "long"
    return "^" + "^".join(up) + "|v" + "v".join(reversed(down))


def jaccard(a: set[int], b: set[int]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def size_bucket(n: int) -> int:
    return bucket(n, (1, 2, 3, 5, 8, 13, 20, 30, 50, 80))


# --------------------------------------------------------------------------- sources

def source_candidates(head: Token, cue: set[int], ctx: DocContext) -> list[tuple[Span | None, list[str]]]:
    """Noun phrases in the cue's sentence and the one before, plus "no source"."""
    doc = ctx.doc
    hl = head.lemma_.lower()
    n_sent = ctx.sent_index[head.i]
    lo = ctx.sents[max(n_sent - 1, 0)].start
    hi = ctx.sents[n_sent].end
    has_subj = any(c.dep_ in ("nsubj", "nsubjpass", "agent") for c in head.children)
    out: list[tuple[Span | None, list[str]]] = [
        (None, ["none", f"none-l={hl}", f"none-d={head.dep_}", f"none-subj={has_subj}", f"none-p={head.pos_}",
                f"none-q={int(ctx.in_quote[head.i])}"])
    ]
    seen: set[Span] = set()
    cands = [t for t in doc[lo:hi] if t.pos_ in NOMINAL_POS and t.i not in cue and t.dep_ not in SKIP_SOURCE_DEPS]
    before = sorted((t for t in cands if t.i < head.i), key=lambda t: head.i - t.i)
    after = sorted((t for t in cands if t.i > head.i), key=lambda t: t.i - head.i)
    ranks = {t.i: r for r, t in enumerate(before)} | {t.i: r for r, t in enumerate(after)}
    for tok in cands:
        same = ctx.sent_index[tok.i] == n_sent
        path = dep_path(head, tok) if same else "xsent"
        direction = "before" if tok.i < head.i else "after"
        rank = min(ranks[tok.i], 6)
        for variant, span in (("full", subtree_span(tok)), ("core", core_span(tok))):
            span = trim(doc, span)
            if span is None or span in seen or any(i in cue for i in range(*span)):
                continue
            seen.add(span)
            kind = tok.lower_ if tok.pos_ == "PRON" else (tok.ent_type_ or tok.pos_)
            f = [
                "src", f"path={path}", f"path-l={path}|{hl}", f"path-v={path}|{variant}", f"kind={kind}",
                f"kind-path={kind}|{path}", f"nd={tok.dep_}", f"dir={direction}", f"rank={direction}{rank}",
                f"rank-path={direction}{rank}|{path}", f"var={variant}", f"len={size_bucket(span[1] - span[0])}",
                f"q={int(ctx.in_quote[tok.i])}{int(ctx.in_quote[head.i])}", f"hd={head.dep_}|{path}",
                f"dist={bucket(abs(tok.i - head.i), (1, 2, 3, 5, 8, 13, 20))}", f"tl={tok.lemma_.lower()}",
            ]
            after = doc[span[1]] if span[1] < len(doc) else None
            before = doc[span[0] - 1] if span[0] > 0 else None
            nxt = "<end>" if after is None or after.is_space else (after.text if after.is_punct or after.is_stop
                                                                    else after.pos_)
            prv = "<start>" if before is None or before.is_space or doc[span[0]].is_sent_start else (
                before.text if before.is_punct or before.is_stop else before.pos_)
            f += [f"next={nxt}", f"prev={prv}", f"next-path={nxt}|{path}", f"next-var={nxt}|{variant}"]
            if variant == "full" and span[1] - span[0] > 12:
                f.append("long-full")
            out.append((span, f))
    return out


# --------------------------------------------------------------------------- contents

def _add(cands: dict[Span, list[str]], doc: Doc, span: Span | None, kind: str) -> None:
    if span is None:
        return
    span = trim(doc, span)
    if span is None:
        return
    cands.setdefault(span, []).append(kind)


def _grow(span: Span, quotes: list[Span], cue: set[int]) -> Span:
    start, end = span
    for q0, q1 in quotes:
        if q0 < end and start < q1 and not any(q0 <= i < q1 for i in cue):
            start, end = min(start, q0), max(end, q1)
    return start, end


def content_candidates(head: Token, cue: set[int], ctx: DocContext) -> list[tuple[Span, list[str]]]:
    doc = ctx.doc
    hl = head.lemma_.lower()
    cue_lo, cue_hi = min(cue), max(cue) + 1
    sent = ctx.sents[ctx.sent_index[head.i]]
    cands: dict[Span, list[str]] = {}
    for tok in sorted(cue):
        for child in doc[tok].children:
            if child.i in cue or child.dep_ not in CONTENT_CHILD_DEPS:
                continue
            side = "R" if child.i > head.i else "L"
            _add(cands, doc, subtree_span(child), f"child:{child.dep_}{side}")
            if child.dep_ == "prep":
                for g in child.children:
                    if g.dep_ == "pobj":
                        _add(cands, doc, subtree_span(g), f"prep-pobj:{child.lower_}")
    right = [c for c in head.children if c.i > cue_hi - 1 and c.i not in cue and c.dep_ not in ("punct", "cc")]
    if right:
        tail = [c for c in right if c.dep_ not in ("conj", "advcl", "parataxis", "npadvmod")]
        if tail:
            _add(cands, doc, (tail[0].left_edge.i, tail[-1].right_edge.i + 1), "tail")
        _add(cands, doc, (right[0].left_edge.i, right[-1].right_edge.i + 1), "right-all")
    if head.head.i != head.i:
        host = head.head
        h0, h1 = subtree_span(host)
        c0, c1 = subtree_span(head)
        _add(cands, doc, (h0, c0), "host-left")
        _add(cands, doc, (c1, h1), "host-right")
    _add(cands, doc, (sent.start, cue_lo), "sent-left")
    _add(cands, doc, (cue_hi, sent.end), "sent-right")
    subj = [c for c in head.children if c.dep_ in ("nsubj", "nsubjpass") and c.i < head.i]
    if subj:
        _add(cands, doc, (sent.start, subj[0].left_edge.i), "sent-left-of-subj")
        _add(cands, doc, (subj[0].right_edge.i + 1, cue_lo), "between-subj-cue")
    n_sent = ctx.sent_index[head.i]
    if n_sent > 0:
        prev = ctx.sents[n_sent - 1]
        _add(cands, doc, (prev.start, prev.end), "prev-sent")
    if n_sent + 1 < len(ctx.sents):
        nxt = ctx.sents[n_sent + 1]
        _add(cands, doc, (nxt.start, nxt.end), "next-sent")
        _add(cands, doc, (cue_hi, nxt.end), "right-2sent")
    window_lo = ctx.sents[max(n_sent - 2, 0)].start
    window_hi = ctx.sents[min(n_sent + 2, len(ctx.sents) - 1)].end
    for n, (q0, q1) in enumerate(ctx.quotes):
        if q1 <= window_lo or q0 >= window_hi or (q0 <= head.i < q1):
            continue
        side = "before" if q1 <= head.i else "after"
        _add(cands, doc, (q0, q1), f"quote-{side}")
        if n + 1 < len(ctx.quotes):
            r0, r1 = ctx.quotes[n + 1]
            if r0 - q1 <= 12 and not (q1 <= head.i < r0 and side == "before") and not (r0 <= head.i < r1):
                _add(cands, doc, (q0, r1), f"quote-pair-{side}")
    out = []
    for span, kinds in list(cands.items()):
        grown = _grow(span, ctx.quotes, cue)
        if grown != span and not (grown[0] <= head.i < grown[1]):
            cands.setdefault(grown, []).extend(k + "+grown" for k in kinds)
    for span, kinds in cands.items():
        if span[0] <= head.i < span[1]:
            continue
        length = span[1] - span[0]
        first, last = doc[span[0]], doc[span[1] - 1]
        gap = span[0] - cue_hi if span[0] >= cue_hi else cue_lo - span[1]
        first_kind = first.lower_ if first.is_stop or first.is_punct else first.pos_
        f = ["con", f"len={size_bucket(length)}", f"first={first_kind}",
             f"last={last.text if last.is_punct else last.pos_}", f"gap={bucket(gap, (0, 1, 2, 4, 8, 16))}",
             f"nsent={min(ctx.sent_index[span[1] - 1] - ctx.sent_index[span[0]], 3)}",
             f"dir={'after' if span[0] >= cue_hi else 'before'}", f"q={int(ctx.in_quote[head.i])}"]
        after = doc[span[1]] if span[1] < len(doc) else None
        before = doc[span[0] - 1] if span[0] > 0 else None
        nxt = "<end>" if after is None or after.is_space or after.is_sent_start else (
            after.text if after.is_punct or after.is_stop else after.pos_)
        prv = "<start>" if before is None or before.is_space or first.is_sent_start else (
            before.text if before.is_punct or before.is_stop else before.pos_)
        f += [f"next={nxt}", f"prev={prv}"]
        for kind in kinds:
            f += [f"k={kind}", f"k-l={kind}|{hl}", f"k-d={kind}|{head.dep_}", f"k-len={kind}|{size_bucket(length)}",
                  f"k-p={kind}|{head.pos_}", f"k-next={kind}|{nxt}", f"k-prev={kind}|{prv}"]
        out.append((span, f))
    return out


# --------------------------------------------------------------------------- cue extent

def extension_candidates(head: Token, group: set[int], ctx: DocContext, window: int = 6) -> list[tuple[int, list[str]]]:
    """Tokens near a cue head that may belong to the cue ("has also said", "said in a statement")."""
    doc = ctx.doc
    sent = ctx.sents[ctx.sent_index[head.i]]
    hl = head.lemma_.lower()
    subj = {t.i for c in head.children if c.dep_ in ("nsubj", "nsubjpass") for t in c.subtree}
    clause = {t.i for c in head.children if c.dep_ in ("ccomp",) for t in c.subtree}
    out = []
    for i in range(max(sent.start, head.i - window), min(sent.end, head.i + window + 1)):
        if i in group or doc[i].is_space:
            continue
        tok = doc[i]
        if tok.head.i == head.i:
            rel = "child"
        elif head.head.i == i:
            rel = "parent"
        elif tok.head.i == head.head.i:
            rel = "sibling"
        elif tok.head.head.i == head.i:
            rel = "grandchild"
        else:
            rel = "other"
        off = max(-window, min(window, i - head.i))
        gap = sum(1 for t in doc[min(i, head.i) + 1:max(i, head.i)] if t.i not in group)
        f = ["ext", f"w={tok.lower_}", f"l={tok.lemma_.lower()}", f"p={tok.pos_}", f"d={tok.dep_}", f"rel={rel}",
             f"d-rel={tok.dep_}|{rel}", f"off={off}", f"off-p={off}|{tok.pos_}", f"off-d={off}|{tok.dep_}",
             f"hl={hl}", f"hl-w={hl}|{tok.lower_}", f"hl-d={hl}|{tok.dep_}|{rel}", f"gap={min(gap, 4)}",
             f"gap-d={min(gap, 4)}|{tok.dep_}|{rel}", f"subj={int(i in subj)}", f"clause={int(i in clause)}",
             f"q={int(ctx.in_quote[i])}", f"hp={head.pos_}", f"path={dep_path(head, tok)}"]
        if tok.dep_ == "pobj" or tok.head.dep_ == "prep":
            f.append(f"prep={tok.head.lower_}|{tok.lemma_.lower()}")
        out.append((i, f))
    return out

