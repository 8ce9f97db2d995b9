"""How mail quotes other messages: the lines that open a quoted forward or original message,
and the header lines inside one, in the layouts and languages productions carry.

Outlook (``-----Original Message-----`` or a rule of underscores, then ``From:``/``Sent:``
lines), Gmail and Apple Mail (``---------- Forwarded message ---------``, ``On DATE, NAME
wrote:``), Lotus Notes (``----- Forwarded by NAME/OU/ORG on DATE TIME -----``, which mailers
often wrap onto two lines), in English, German (``Von:``/``Gesendet:``/``An:``/``Betreff:``),
French (``De :``/``Envoyé :``/``À :``/``Objet :``) and Spanish (``De:``/``Enviado el:``/
``Para:``/``Asunto:``). Pure data: gaptrack.derive reads blocks with it, gaptrack.matching
strips them before hashing a body.
"""

from __future__ import annotations

import re

_ORIGINAL = (
    r"original message|urspr(?:ü|ue)ngliche nachricht|originalnachricht"
    r"|message d'origine|message original|mensaje original"
)
_FORWARDED = (
    r"forwarded message|weitergeleitete nachricht|message transf[ée]r[ée]"
    r"|mensaje reenviado"
)
_BEGIN = (
    r"begin forwarded message|anfang der weitergeleiteten nachricht"
    r"|d[ée]but du message r[ée]exp[ée]di[ée]|inicio del mensaje reenviado"
)

# The lines that open a quoted message in the bodies of real productions.
BLOCK_START = re.compile(
    r"^[ \t>]*(?:"
    rf"-{{2,}}\s*(?P<orig>{_ORIGINAL})\s*-{{2,}}"
    rf"|-{{2,}}\s*(?P<fwd>{_FORWARDED})\s*-{{2,}}"
    rf"|(?P<begin>{_BEGIN})\s*:"
    r"|(?P<by>-+\s*forwarded by\s+(?P<by_name>.+?)\s+on\s+.+?-+)"
    # Outlook 2010+: a rule of underscores, then From:/Sent:/To:/Subject: lines.
    r"|(?P<rule>_{10,})"
    # Gmail / Apple Mail replies: "On <date>, Name <address> wrote:", and in French and
    # Spanish ("Le <date>, Name a écrit :", "El <date>, Name escribió:").
    r"|(?P<wrote>(?:on|le|el)\s.+?,\s*(?P<wrote_who>[^,]+?)\s+(?:wrote|a\s+[ée]crit|escribi[óo])\s*:)"
    # German: "Am <date> schrieb Name <address>:".
    r"|(?P<schrieb>am\s.+?\sschrieb\s+(?P<schrieb_who>.+?)\s*:)"
    r")\s*$",
    re.IGNORECASE | re.MULTILINE,
)

# A Notes "Forwarded by" line that the mailer wrapped: joined before BLOCK_START is applied.
WRAPPED_BY = re.compile(
    r"^([ \t>]*-{2,}[ \t]*forwarded by\b[^\n]*?[^\s-])[ \t]*\r?\n[ \t>]*([^\n]*?-{2,}[ \t]*)$",
    re.IGNORECASE | re.MULTILINE,
)

# Header names inside a quoted block, by what they mean.
HEADER_NAMES = {
    "from": "from", "von": "from", "de": "from",
    "sent": "sent", "date": "sent", "gesendet": "sent", "datum": "sent", "envoyé": "sent",
    "envoye": "sent", "enviado el": "sent", "enviado": "sent", "fecha": "sent",
    "to": "to", "an": "to", "à": "to", "a": "to", "para": "to",
    "cc": "cc", "kopie": "cc", "cc-empfänger": "cc",
    "bcc": "bcc", "cci": "bcc", "cco": "bcc",
    "subject": "subject", "betreff": "subject", "objet": "subject", "asunto": "subject",
}
HEADER = re.compile(
    r"^[ \t>]*("
    + "|".join(sorted((re.escape(n) for n in HEADER_NAMES), key=len, reverse=True))
    + r")[ \t]*:[ \t]*(.*)$",
    re.IGNORECASE,
)
# Notes puts the sender on a line of its own: "Jane Doe/HOU/ECT on 05/14/2001 04:01 PM".
NOTES_SENDER = re.compile(
    r"^[ \t>]*(?P<who>\S.*?)\s+on\s+\d{1,2}/\d{1,2}/\d{2,4}"
    r"\s+\d{1,2}:\d{2}(?::\d{2})?\s*(?:[AP]M)?\s*$",
    re.IGNORECASE,
)


# Every opening line above holds one of these (case-folded): a text with none quotes nothing.
_HINTS = (
    "forward", "original", "ursprüngliche", "urspruengliche", "origine", "weitergeleitet",
    "transf", "reenviado", "réexp", "reexp", "wrote", "schrieb", "crit", "escribi", "__________",
)


# The last text asked about and the answer: an import asks twice of each body (its quoted
# messages, then its body hash), and a 2 KB body costs ~15 scans to answer.
_last: tuple[str, bool] = ("", False)


def might_quote(text: str) -> bool:
    """Whether ``text`` may hold a quoted block (a cheap test before :data:`BLOCK_START`)."""
    global _last
    last, answer = _last
    if text is last:
        return answer
    # Every opening line holds a dash (the rules of Outlook, Gmail and Notes), a colon (the
    # "wrote:" lines, "Begin forwarded message:") or an underscore rule: three scans for one
    # character each are far cheaper than the hints', and a note with none quotes nothing.
    if "-" not in text and ":" not in text and "_" not in text:
        _last = (text, False)
        return False
    folded = text.casefold()
    answer = False
    for hint in _HINTS:  # a plain loop: any() over a generator costs a frame step per hint
        if hint in folded:
            answer = True
            break
    _last = (text, answer)
    return answer


def unwrap(text: str) -> str:
    """``text`` with wrapped Notes "Forwarded by" lines joined back into one."""
    if "orwarded by" not in text and "ORWARDED BY" not in text:
        return text
    return WRAPPED_BY.sub(r"\1 \2", text)
