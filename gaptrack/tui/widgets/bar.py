"""The share of known items produced, drawn as a bar."""

from __future__ import annotations

from gaptrack.tui.plain import Text

FULL, EMPTY = "█", "░"


def share_bar(produced: int, total: int, width: int = 10) -> Text:
    """``██████░░░░  3/5`` — a party with no known items shows a dash, not 0 %."""
    if total <= 0:
        return Text("—".ljust(width) + "  0/0", style="dim")
    filled = round(width * produced / total)
    bar = Text()
    bar.append(FULL * filled, style="green")
    bar.append(EMPTY * (width - filled), style="red" if produced < total else "green")
    bar.append(f" {produced}/{total}")
    return bar
