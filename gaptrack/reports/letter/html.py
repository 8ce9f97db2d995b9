"""The letter as an HTML page; every piece of data escaped."""

from __future__ import annotations

from html import escape

from gaptrack.reports.letter.model import LetterModel, LetterSection
from gaptrack.reports.letter.words import long_date
from gaptrack.reports.tabular import html_page


def _br(lines: list[str]) -> str:
    return "<br>".join(escape(line) for line in lines)


def _section(section: LetterSection, tag: str) -> list[str]:
    out = [f"<{tag}>{escape(section.heading)}</{tag}>", f"<p>{escape(section.intro)}</p>", "<ul>"]
    out += [f"<li>{escape(entry.sentence())}</li>" for entry in section.entries]
    return [*out, "</ul>"]


def render_html(letter: LetterModel) -> str:
    head, rest = letter.letterhead[:2], letter.letterhead[2:]
    out = [
        f'<header class="letterhead"><p><strong>{_br(head)}</strong><br>{_br(rest)}</p></header>',
        f'<p class="date">{escape(long_date(letter.date))}</p>',
        f'<p class="recipient">{_br(letter.recipient)}</p>',
        f"<p>Re: {escape(letter.subject)}</p>",
        f"<p>{escape(letter.salutation)}</p>",
    ]
    out += [f"<p>{escape(p)}</p>" for p in letter.opening]
    for section in letter.sections:
        out += _section(section, "h2")
    out += [f"<p>{escape(p)}</p>" for p in letter.closing]
    out.append("<p>Sincerely,</p>")
    out += [f'<p class="signature">{_br([s.name, s.role])}</p>' for s in letter.signers]
    out += [f'<p class="cc">cc: {escape(cc)}</p>' for cc in letter.cc]
    if letter.findings:
        out += [
            '<section class="findings">',
            "<hr>",
            f"<h2>{escape(letter.findings_heading)}</h2>",
            f"<p>{escape(letter.findings_intro)}</p>",
        ]
        for section in letter.findings:
            out += _section(section, "h3")
        out.append("</section>")
    return html_page(f"{letter.subject} ({long_date(letter.date)})", out)
