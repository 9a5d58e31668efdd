"""ATOP provisions (Leeds et al. 2002; ../shared/data/atop): the patterns that name each in news prose.

One table shared by the agreement records (understand/agreements.py), which code each provision present,
absent or not stated, and by the claim keys (understand/claims.py), which name an absent or included
provision by its ATOP column, so that 'no mutual defence clause' and 'the absence of a formal defence
commitment' are one fact.
"""

from __future__ import annotations

import re

__all__ = ["ATOP", "ATOP_NAMES", "KEYED", "OBLIGATIONS", "provision_of"]


def _rx(*patterns: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in patterns)


_NEG = r"\b(?:not|no|nor|never|refrain\w*|prevent\w*|prohibit\w*|forbid\w*|bar\w*)\b"
# ATOP column -> (label, patterns). Order: the five obligations first.
ATOP: dict[str, tuple[str, tuple[re.Pattern[str], ...]]] = {
    "defense": ("defence: military support if a party is attacked", _rx(
        r"\bmutual[- ](?:self-)?defen[cs]e\b",
        r"\bcollective (?:self-)?defen[cs]e\b",
        r"\bdefen[cs]e (?:clause|commitment|pact|obligation|pledge|guarantee|provision|alliance)s?\b",
        r"\bmutual (?:\w+ )?(?:commitments? to )?military (?:support|assistance|aid|help)\b",
        r"\b(?:military )?(?:support|assistance|aid|help)\b[^.;]{0,30}?\bin (?:the )?(?:event|case) of "
        r"(?:an? )?(?:armed )?(?:attack|aggression|invasion)",
        r"\bcome to (?:the|each other'?s?|one another'?s?) (?:aid|defen[cs]e|assistance)",
        r"\bdefend (?:each other|one another)\b",
        r"\battack (?:on|against) (?:one|either)\b[^.;]{0,40}\battack (?:on|against) (?:both|all|the other)",
    )),
    "offense": ("offence: joint military action not in response to an attack", _rx(
        r"\boffensive (?:alliance|obligation|commitment|pact|clause)s?\b",
        r"\bjointly (?:attack|invade|wage war)\b",
    )),
    "neutral": ("neutrality: no support for an attacker of the other party", _rx(
        r"\bneutrality (?:pact|clause|obligation|commitment|agreement|treaty|pledge)s?\b",
        r"\bremain neutral\b",
        _NEG + r"[^.;]{0,60}?\b(?:aid|assist\w*|support|help|provid\w*|suppl\w*)\b[^.;]{0,30}?"
        r"\b(?:aggressors?|attackers?|enem(?:y|ies)|adversar(?:y|ies)|hostile (?:states?|countr\w*|part\w*))\b",
        _NEG + r"[^.;]{0,60}?\b(?:territor(?:y|ies)|soil|airspace)\b[^.;]{0,60}?"
        r"\b(?:against|threat\w*|undermin\w*|hostile|aggress\w*|attack\w*|harm\w*|endanger\w*)",
        r"\b(?:territor(?:y|ies)|soil|airspace)\b[^.;]{0,30}?\b(?:not|never)\b[^.;]{0,20}?\bbe used\b",
        _NEG + r"[^.;]{0,40}?\bhost\w*\b[^.;]{0,60}?\b(?:undermin\w*|threat\w*|against|hostile|harm\w*|endanger\w*)",
    )),
    "nonagg": ("non-aggression: no attack or use of force against the other party", _rx(
        r"\bnon-?aggression\b",
        r"\bnot (?:to )?(?:attack|invade|use (?:military )?force against|wage war (?:on|against)|go to war "
        r"(?:with|against)) (?:each other|one another|the other)\b",
        r"\brefrain\w* from (?:the )?(?:use|threat) (?:or (?:threat|use) )?of force against "
        r"(?:each other|one another|the other)\b",
    )),
    "consul": ("consultation: consult in crises bearing on security", _rx(
        r"\bconsult\w*\b[^.;]{0,60}?\b(?:security|military|defen[cs]e|threats?|crisis|crises|aggression|"
        r"attacks?|conflicts?|emergenc\w*)\b",
        r"\b(?:security|military|defen[cs]e) consultations?\b",
    )),
    "milaid": ("military aid: arms transfers or military assistance", _rx(
        r"\barms (?:transfers?|supplies|supply|deliveries|sales)\b",
        r"\bmilitary (?:aid|assistance)\b",
        r"\b(?:transfers?|supply|supplies|deliver\w*|sales?) of (?:arms|weapons)\b",
    )),
    "milcon": ("military contact: joint exercises, training, military cooperation", _rx(
        r"\bjoint (?:military |naval )?(?:exercises|drills|training|manoeuvres|maneuvers|patrols)\b",
        r"\bmilitary (?:exercises|drills|contacts?|training)\b",
        r"\bmilitary (?:and \w+ )?(?:cooperation|co-operation|collaboration)\b",
        r"\bdefen[cs]e (?:and \w+ )?(?:cooperation|co-operation)\b",
        r"\b(?:warship |naval )?port calls?\b",
        r"\bnaval exercises\b",
    )),
    "base": ("basing rights", _rx(
        r"\bmilitary bases?\b", r"\bbasing rights\b",
        r"\b(?:station|deploy)\w* (?:troops|forces) (?:in|on) (?:each other'?s?|one another'?s?|the other'?s?) "
        r"territor",
    )),
    "intcom": ("integrated military command", _rx(r"\b(?:integrated|joint|unified|combined) (?:military )?command\b")),
    "ecaid": ("economic aid", _rx(r"\beconomic (?:aid|assistance)\b")),
    "armred": ("arms control or reduction", _rx(r"\barms (?:control|reduction|limitation)\b", r"\bdisarmament\b")),
    "organ1": ("a formal organisation (commission, council)", _rx(
        r"\b(?:joint|permanent|standing|intergovernmental) (?:commission|committee|council|secretariat)\b")),
    "noothall": ("no alliances against each other", _rx(
        r"\bnot (?:to )?(?:join|enter|form|participate in) (?:any )?(?:alliances?|coalitions?|blocs?|agreements?)"
        r"\b[^.;]{0,40}?\b(?:against|directed|hostile|aimed)",
    )),
}
OBLIGATIONS = ("defense", "offense", "neutral", "nonagg", "consul")

# What a fact key calls each provision ('no mutual defence', 'includes military cooperation').
ATOP_NAMES = {
    "defense": "mutual defence", "offense": "offensive alliance", "neutral": "neutrality",
    "nonagg": "non-aggression", "consul": "security consultation", "milaid": "military aid or arms transfers",
    "milcon": "military cooperation", "base": "basing rights", "intcom": "integrated military command",
    "ecaid": "economic aid", "armred": "arms control", "organ1": "a joint commission",
    "noothall": "no alliances against each other",
}


# The columns a claim key is named by: the obligations, and arms transfers, whose wordings are paraphrases
# of one commitment; the broad ones ('military cooperation') keep the words the text gives them.
KEYED = (*OBLIGATIONS, "milaid")


def provision_of(text: str) -> str | None:
    """The first keyed ATOP column (obligations first) whose patterns the phrase matches, if any."""
    for column in KEYED:
        if any(p.search(text) for p in ATOP[column][1]):
            return column
    return None
