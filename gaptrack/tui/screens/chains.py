"""Letters by committee, as chains: initial → follow-up → deficiency."""

from __future__ import annotations

from typing import ClassVar

from sqlalchemy.engine import Engine
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Footer, Header, Input, Tree
from textual.widgets.tree import TreeNode

from gaptrack.service import browse
from gaptrack.service.browse import LetterNode
from gaptrack.tui.plain import Text
from gaptrack.tui.screens.base import DataScreen


def _label(letter: LetterNode) -> Text:
    text = Text()
    text.append(f"{letter.date_sent.isoformat()} ", style="bold")
    text.append(f"[{letter.kind}] ", style="cyan")  # appended as text: brackets are literal
    text.append(letter.title)
    if letter.deadline:
        text.append(f"  due {letter.deadline.isoformat()}", style="yellow")
    if letter.parties:
        text.append("  → " + ", ".join(letter.parties), style="dim")
    return text


def _matches(letter: LetterNode, words: list[str]) -> bool:
    haystack = " ".join([letter.slug, letter.title, letter.committee, *letter.parties,
                         *letter.items]).casefold()
    return all(w in haystack for w in words) or any(
        _matches(child, words) for child in letter.children
    )


class ChainsScreen(DataScreen):
    AUTO_FOCUS = "#chains"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back", id="chains.back"),
        Binding("slash", "focus_filter", "Filter", id="chains.filter"),
    ]

    def __init__(self, focus: str | None = None) -> None:
        super().__init__()
        self.focus_slug = focus
        self.letters: list[LetterNode] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="filter letters (type to filter)", id="chains-filter")
        yield Tree[LetterNode | None]("Committees", id="chains")
        yield Footer()

    def loading_target(self) -> Tree[LetterNode | None]:
        return self.query_one(Tree)

    def fetch(self, engine: Engine) -> list[LetterNode]:
        return browse.letter_chains(engine)

    def show(self, letters: list[LetterNode]) -> None:
        self.sub_title = "Letters by committee"
        self.letters = letters
        self._fill(self.query_one(Input).value)

    def _fill(self, typed: str) -> None:
        words = typed.casefold().split()
        tree = self.query_one(Tree)
        tree.clear()
        tree.root.expand()
        committees: dict[str, TreeNode[LetterNode | None]] = {}
        found: TreeNode[LetterNode | None] | None = None
        for letter in self.letters:
            if words and not _matches(letter, words):
                continue
            parent = committees.get(letter.committee)
            if parent is None:
                parent = tree.root.add(Text(letter.committee_name, style="bold"), expand=True)
                committees[letter.committee] = parent
            found = self._add(parent, letter) or found
        if found is not None:
            # A node has a line only once the tree has laid out its new nodes.
            self.call_after_refresh(tree.move_cursor, found)

    def _add(self, parent: TreeNode[LetterNode | None], letter: LetterNode
             ) -> TreeNode[LetterNode | None] | None:
        node = parent.add(_label(letter), data=letter, expand=True)
        found = node if letter.slug == self.focus_slug else None
        for item in letter.items:
            node.add_leaf(Text(item), data=None)
        for child in letter.children:
            found = self._add(node, child) or found
        return found

    def on_input_changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def action_focus_filter(self) -> None:
        self.query_one(Input).focus()
