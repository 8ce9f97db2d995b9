"""Deficiency letters in the shape of the Senate Judiciary Committee's 16 Nov 2017 letter.

``model`` is the read model; ``source`` reads the facts a letter needs besides the gaps;
``build`` is the one function that fills the model; ``md``, ``html``, ``docx`` and ``eml``
render it. Nothing here decides what a gap is: the gaps come from the service.
"""

from __future__ import annotations

from gaptrack.reports.letter.build import LetterOptions, build_letter_model
from gaptrack.reports.letter.model import LetterEntry, LetterModel, LetterSection, SectionKind
from gaptrack.reports.letter.render import LETTER_FORMATS, render_letter

__all__ = [
    "LETTER_FORMATS",
    "LetterEntry",
    "LetterModel",
    "LetterOptions",
    "LetterSection",
    "SectionKind",
    "build_letter_model",
    "render_letter",
]
