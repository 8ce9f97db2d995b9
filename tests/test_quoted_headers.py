"""Quoted forward and reply headers as Outlook, Notes and Gmail write them, in English,
German, French and Spanish: who was quoted, and who forwarded."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gaptrack.derive import derive, quoted_messages
from gaptrack.models.enums import ParticipantRole

NOTES_WRAPPED = """Mark, see below.

---------------------- Forwarded by Jeff Dasovich/NA/Enron on 05/15/2001
10:23 AM ---------------------------


"Jane Doe" <jdoe@calpine.example> on 05/14/2001 04:01:32 PM
To: Jeff Dasovich/NA/Enron@Enron
cc:
Subject: Rates

The rates are up.
"""


def roles(text: str, **headers: str) -> set[tuple[str, str, str]]:
    found = derive(sender=headers.get("sender", "Sara Shackleton/HOU/ECT@ECT"),
                   to=headers.get("to", "Mark Taylor/HOU/ECT@ECT"), subject="FW: Rates",
                   text=text)
    return {(str(p.role), p.name, p.address) for p in found.participants}


def test_a_wrapped_notes_forwarded_by_line_names_the_forwarder() -> None:
    [quoted] = quoted_messages(NOTES_WRAPPED)
    assert quoted.forwarded and quoted.forwarded_by == "Jeff Dasovich/NA/Enron"
    assert quoted.sender == '"Jane Doe" <jdoe@calpine.example>'
    found = roles(NOTES_WRAPPED)
    assert (str(ParticipantRole.FORWARDED), "Jeff Dasovich", "") in found
    assert (str(ParticipantRole.QUOTED), "Jane Doe", "jdoe@calpine.example") in found


OUTLOOK_DE = """Bitte ansehen.

-----Ursprüngliche Nachricht-----
Von: Müller, Hans <hans.mueller@firma.example>
Gesendet: Donnerstag, 5. Januar 2017 10:00
An: Alice Able <alice@a.example>
Cc: Bob Baker <bob@b.example>
Betreff: Angebot

Das Angebot."""

OUTLOOK_FR = """Voir ci-dessous.

________________________________
De : Dupont, Marie <marie.dupont@societe.example>
Envoyé : jeudi 5 janvier 2017 10:00
À : Alice Able <alice@a.example>
Cc : Bob Baker <bob@b.example>
Objet : Devis

Le devis."""

OUTLOOK_ES = """Ver abajo.

-----Mensaje original-----
De: García, Juan <juan.garcia@empresa.example>
Enviado el: jueves, 5 de enero de 2017 10:00
Para: Alice Able <alice@a.example>
CC: Bob Baker <bob@b.example>
Asunto: Presupuesto

El presupuesto."""

GMAIL_FWD_ES = """---------- Mensaje reenviado ---------
De: Juan García <juan.garcia@empresa.example>
Date: jue, 5 ene 2017 a las 10:00
Subject: Presupuesto
To: Alice Able <alice@a.example>, Bob Baker <bob@b.example>

El presupuesto."""

GMAIL_DE = """Danke!

Am Do., 5. Jan. 2017 um 10:00 Uhr schrieb Hans Müller <hans.mueller@firma.example>:
> Das Angebot."""

GMAIL_FR = """Merci !

Le jeu. 5 janv. 2017 à 10:00, Marie Dupont <marie.dupont@societe.example> a écrit :
> Le devis."""

GMAIL_ES = """¡Gracias!

El jue., 5 ene. 2017 a las 10:00, Juan García (<juan.garcia@empresa.example>) escribió:
> El presupuesto."""


@pytest.mark.parametrize(
    ("text", "sender", "forwarded", "others"),
    [
        (OUTLOOK_DE, ("Müller, Hans", "hans.mueller@firma.example"), False,
         {"alice@a.example", "bob@b.example"}),
        (OUTLOOK_FR, ("Dupont, Marie", "marie.dupont@societe.example"), False,
         {"alice@a.example", "bob@b.example"}),
        (OUTLOOK_ES, ("García, Juan", "juan.garcia@empresa.example"), False,
         {"alice@a.example", "bob@b.example"}),
        (GMAIL_FWD_ES, ("Juan García", "juan.garcia@empresa.example"), True,
         {"alice@a.example", "bob@b.example"}),
        (GMAIL_DE, ("Hans Müller", "hans.mueller@firma.example"), False, set()),
        (GMAIL_FR, ("Marie Dupont", "marie.dupont@societe.example"), False, set()),
        (GMAIL_ES, ("Juan García", "juan.garcia@empresa.example"), False, set()),
    ],
)
def test_quoted_headers_in_four_languages(
    text: str, sender: tuple[str, str], forwarded: bool, others: set[str]
) -> None:
    [quoted] = quoted_messages(text)
    assert quoted.forwarded is forwarded
    found = roles(text, sender="Carol Cole <carol@c.example>", to="Dave Doe <dave@d.example>")
    quoted_people = {(n, a) for role, n, a in found if role == str(ParticipantRole.QUOTED)}
    assert sender in quoted_people
    assert others <= {a for _, a in quoted_people}
    if quoted.subject:
        assert quoted.subject in {"Angebot", "Devis", "Presupuesto"}


_OPENERS = ["-----Original Message-----", "---------- Forwarded message ---------",
            "Begin forwarded message:", "----- Forwarded by Jane Doe/HOU/ECT on 05/14/2001 "
            "04:01 PM -----", "________________________________",
            "On Mon, May 14, 2001 at 4:39 PM, Jane Doe <jd@x.example> wrote:",
            "Le lun. 14 mai 2001, Jeanne Doe a écrit :", "Am 14.05.2001 schrieb Hans Doe:",
            "-----Ursprüngliche Nachricht-----", "El 14 may 2001, Juana escribió:"]


@settings(max_examples=200, deadline=None)
@given(before=st.text(max_size=80), opener=st.sampled_from(_OPENERS),
       after=st.text(max_size=80))
def test_the_cheap_test_never_hides_a_quoted_block(before: str, opener: str,
                                                   after: str) -> None:
    """might_quote answers False only for texts BLOCK_START finds nothing in."""
    from gaptrack.quotes import BLOCK_START, might_quote

    for text in (f"{before}\n{opener}\n{after}", f"{before}{after}"):
        if BLOCK_START.search(text):
            assert might_quote(text)
