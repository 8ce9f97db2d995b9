"""Run database work off the UI thread and bring the result back (docs/architecture.md §6).

``load`` fetches data for a widget; ``act`` runs an action, notifies what it did and tells
every open screen to reload. Widgets are touched only through ``call_from_thread``; a result
from a worker that was superseded (exclusive group) is dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from textual.dom import DOMNode
from textual.worker import Worker, get_current_worker

from gaptrack.errors import GaptrackError
from gaptrack.tui.state import state_of

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

T = TypeVar("T")


def show_error(node: DOMNode, error: GaptrackError) -> None:
    node.app.notify(error.message, title=error.title, severity="error", timeout=8, markup=False)


def load(
    node: DOMNode,
    fetch: Callable[[Engine], T],
    show: Callable[[T], None],
    *,
    group: str = "load",
) -> Worker[None]:
    """Run ``fetch(engine)`` in a thread; call ``show(result)`` on the UI thread."""

    def work() -> None:
        worker = get_current_worker()
        try:
            result = fetch(state_of(node).engine())
        except GaptrackError as exc:
            node.app.call_from_thread(show_error, node, exc)
            return
        if not worker.is_cancelled:
            node.app.call_from_thread(show, result)

    return node.run_worker(work, thread=True, exclusive=True, group=group, exit_on_error=True)


def act(
    node: DOMNode,
    action: Callable[[Engine], Any],
    *,
    done: Callable[[Any], None] | None = None,
) -> Worker[None]:
    """Run an action in a thread; notify its summary and reload every screen."""

    def work() -> None:
        try:
            result = action(state_of(node).engine())
        except GaptrackError as exc:
            node.app.call_from_thread(show_error, node, exc)
            return
        summary = getattr(result, "summary", None)
        node.app.call_from_thread(_finish, node, summary, result, done)

    return node.run_worker(work, thread=True, group="action")


def _finish(
    node: DOMNode, summary: str | None, result: Any, done: Callable[[Any], None] | None
) -> None:
    if summary:
        node.app.notify(summary, title="Done", markup=False)
    if done is not None:
        done(result)
    from gaptrack.tui.messages import DataChanged

    for screen in node.app.screen_stack:
        screen.post_message(DataChanged())
