"""A message body as Outlook keeps it in compressed RTF: HTML encapsulated in RTF
([MS-OXRTFEX]), and the same body as the HTML an EML copy carries."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.importers.builders import email, write_eml

SENT = dt.datetime(2017, 3, 2, 10, 15, 7)  # naive UTC

# Long enough for a body hash (200 characters), with an entity and a line break in the HTML.
LINES = ("The committee asked for the pipeline routes, the permits & the contractor bids.",
         "Send the three options with their costs and the schedule for each by Friday noon.",
         "Legal wants the landowner letters too, in the same folder as the permits please.")
HTML = ("<html><head><style>p {margin:0}</style></head><body><p>" + LINES[0].replace(
    "&", "&amp;") + "</p><p>" + LINES[1] + "<br>" + LINES[2] + "</p></body></html>")


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}")


def html_rtf() -> bytes:
    """HTML encapsulated in RTF as Outlook writes it ([MS-OXRTFEX]): tags in
    ``\\*\\htmltag`` destinations, text as RTF text, RTF-only parts between ``\\htmlrtf``
    and ``\\htmlrtf0``."""
    first = _escape(LINES[0]).replace("&", "{\\*\\htmltag84 &amp;}\\htmlrtf &\\htmlrtf0 ")
    return ("{\\rtf1\\ansi\\ansicpg1252\\fromhtml1 \\deff0{\\fonttbl{\\f0\\fswiss Arial;}}\r\n"
            "{\\*\\htmltag19 <html>}{\\*\\htmltag2 \\par }{\\*\\htmltag34 <head>}"
            "{\\*\\htmltag177 <style>p \\{margin:0\\}</style>}{\\*\\htmltag41 </head>}"
            "{\\*\\htmltag50 <body>}{\\*\\htmltag64 <p>}\\htmlrtf {\\htmlrtf0 " + first
            + "{\\*\\htmltag72 </p>}\\htmlrtf \\par }\\htmlrtf0 {\\*\\htmltag64 <p>}"
            "\\htmlrtf {\\htmlrtf0 " + _escape(LINES[1]) + "{\\*\\htmltag116 <br>}"
            "\\htmlrtf \\line\\htmlrtf0 " + _escape(LINES[2]) + "{\\*\\htmltag72 </p>}"
            "\\htmlrtf \\par }\\htmlrtf0 {\\*\\htmltag58 </body>}{\\*\\htmltag27 </html>}}"
            ).encode("ascii")


def alices_eml(tmp_path: Path, **changes: object) -> Path:
    """Alice's EML copy of Bob's message, its body as HTML and as text."""
    values: dict[str, object] = dict(
        sender="Bob Baker <bob@b.example>", to="Alice Able <alice@a.example>",
        subject="Routes and permits", body="\n".join(LINES), html=HTML,
        message_id="<routes-7@b.example>", date=SENT.replace(tzinfo=dt.UTC))
    values.update(changes)
    (tmp_path / "alice").mkdir(exist_ok=True)
    return write_eml(tmp_path / "alice" / "routes.eml", email(**values))  # type: ignore[arg-type]
