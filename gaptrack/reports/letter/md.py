"""The letter as Markdown. Data is escaped: HTML in a subject stays text, and so do the
characters Markdown would read as emphasis or links."""

from __future__ import annotations

import html
import re

from gaptrack.reports.letter.model import LetterModel, LetterSection
from gaptrack.reports.letter.words import long_date

_MARKDOWN = re.compile(r"([\\`*_\[\]])")


def esc(text: str) -> str:
    """Plain text for Markdown: HTML escaped, Markdown's own punctuation backslashed."""
    return _MARKDOWN.sub(r"\\\1", html.escape(text, quote=False)).replace("\n", " ")


def _block(lines: list[str]) -> list[str]:
    """Lines of one block, joined by Markdown hard breaks."""
    return [esc(line) + ("  " if n < len(lines) - 1 else "") for n, line in enumerate(lines)]


def _section(section: LetterSection, level: str) -> list[str]:
    out = [f"{level} {esc(section.heading)}", "", esc(section.intro), ""]
    out += [f"- {esc(entry.sentence())}" for entry in section.entries]
    return [*out, ""]


def render_markdown(letter: LetterModel) -> str:
    lines = [*_block([f"**{x}**" for x in letter.letterhead[:2]] + letter.letterhead[2:]), ""]
    lines = [line.replace("\\*\\*", "**") for line in lines]  # the letterhead's own emphasis
    lines += [long_date(letter.date), "", *_block(letter.recipient), ""]
    lines += [f"Re: {esc(letter.subject)}", "", esc(letter.salutation), ""]
    for paragraph in letter.opening:
        lines += [esc(paragraph), ""]
    for section in letter.sections:
        lines += _section(section, "##")
    for paragraph in letter.closing:
        lines += [esc(paragraph), ""]
    lines += ["Sincerely,", ""]
    for signer in letter.signers:
        lines += [*_block([signer.name, signer.role]), ""]
    for cc in letter.cc:
        lines += [f"cc: {esc(cc)}", ""]
    if letter.findings:
        lines += [
            "---",
            "",
            f"## {esc(letter.findings_heading)}",
            "",
            esc(letter.findings_intro),
            "",
        ]
        for section in letter.findings:
            lines += _section(section, "###")
    return "\n".join(lines).rstrip() + "\n"
