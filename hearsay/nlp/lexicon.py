"""Word lists the rules rely on, kept in one place.

The cue lexicon is data (``data/cue_lexicon.json``, derived from PolNeAR train
by ``scripts/derive_cue_lexicon.py``): for each ``POS:lemma`` the share of its
occurrences that fall inside a gold cue. The small hand lists below cover what
the corpus cannot tell us: which cues hedge, deny or assert, and which nouns
name documents, media, or unnamed people.
"""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def cue_lexicon() -> dict[str, float]:
    """``{"VERB:say": 0.864, ...}``: probability that a token with this lemma is a cue."""
    raw = json.loads(resources.files("hearsay.nlp").joinpath("data/cue_lexicon.json").read_text("utf-8"))
    return {key: value["p"] for key, value in raw.items() if value["n"] >= 3}


@lru_cache(maxsize=1)
def rule_precision() -> dict[str, tuple[int, int]]:
    """``{"think|1/2|quoted": (correct, total), ...}`` from ``scripts/calibrate_rules.py``; empty if absent."""
    path = resources.files("hearsay.nlp").joinpath("data/rule_precision.json")
    if not path.is_file():
        return {}
    return {key: (v[0], v[1]) for key, v in json.loads(path.read_text("utf-8")).items()}


# Speech and cognition verbs that are cues whenever they take a clause, even when rare
# in PolNeAR (the seed uses several).
CORE_CUE_VERBS = frozenset(
    "say tell report suggest note disclose reveal emphasize emphasise stress claim state announce add "
    "explain argue insist warn believe think confirm deny allege assert write tweet post declare "
    "acknowledge admit contend maintain predict estimate indicate signal hint imply reckon fear "
    "hope expect doubt suspect conclude find show learn understand recall remark observe reply "
    "respond counter concede complain boast testify caution speculate".split()
)
# Hedging adverbs: an attribution with no named source (PolNeAR's "reportedly").
SOURCELESS_ADVERBS = frozenset(
    "reportedly allegedly purportedly supposedly reputedly ostensibly apparently seemingly".split()
)
# Certainty lexicons.
HEDGE_CUES = frozenset(
    "believe think suggest allege claim suspect seem appear assume estimate guess reckon hint imply "
    "rumor rumour indicate understand feel reportedly allegedly purportedly supposedly reputedly "
    "ostensibly apparently seemingly".split()
)
HEDGE_WORDS = frozenset("reportedly allegedly purportedly supposedly reputedly ostensibly apparently seemingly".split())
SPECULATIVE_CUES = frozenset("speculate predict expect anticipate wonder guess forecast project fear hope".split())
SPECULATIVE_MODALS = frozenset("may might could can".split())
SPECULATIVE_WORDS = frozenset("possibility possibly perhaps maybe conceivably likely unlikely probably".split())
DENIAL_CUES = frozenset("deny refute reject dismiss dispute rebut contradict disavow".split())
ASSERTIVE_CUES = frozenset(
    "confirm reveal disclose announce prove show establish demonstrate acknowledge admit find document "
    "verify declare".split()
)
# Source kinds.
DOCUMENT_NOUNS = frozenset(
    "statement report letter memo memorandum document filing study survey poll release communique "
    "communiqué tweet post email e-mail transcript lawsuit complaint indictment ruling analysis cable "
    "footage video note notice order decree brief briefing paper assessment audit data record records "
    "investigation review message announcement declaration affidavit testimony bulletin leaflet".split()
)
UNSPECIFIED_NOUNS = frozenset("report reports rumor rumour rumors rumours word speculation claim claims talk".split())
MEDIA_NOUNS = frozenset(
    "media outlet outlets newspaper newspapers broadcaster broadcasters daily paper channel network agency "
    "magazine publication tabloid radio television tv website site press journal wire newswire "
    "newsroom station blog podcast".split()
)
MEDIA_NAME_WORDS = frozenset(
    "post times journal news herald tribune gazette telegraph guardian daily press radio tv broadcasting "
    "reuters bloomberg ap afp bbc cnn msnbc fox nbc abc cbs npr pbs politico axios haaretz ynet kan "
    "al-monitor jazeera al-arabiya tass xinhua interfax wsj nyt economist atlantic newsweek observer "
    "independent mirror sun express chronicle standard monitor breitbart examiner inquirer".split()
)
ANONYMOUS_NOUNS = frozenset(
    "official officials source sources diplomat diplomats aide aides insider insiders person people "
    "officer officers someone individual individuals employee employees staffer staffers analyst "
    "analysts expert experts observer observers witness witnesses resident residents member members "
    "spokesman spokeswoman spokesperson representative representatives authority authorities "
    "insider negotiator negotiators mediator mediators investigator investigators".split()
)
ORGANIZATION_NOUNS = frozenset(
    "government ministry group party company army police campaign committee movement administration "
    "council court agency department office organization organisation union parliament congress "
    "senate house cabinet military force forces service services embassy firm bank team commission "
    "board coalition alliance regime state states country nation university institute center centre "
    "foundation association".split()
)
PERSON_PRONOUNS = frozenset("he she him her i me you we us".split())
