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

from gaptrack.errors import GaptrackError, StaleError
from gaptrack.text import display
from gaptrack.tui.state import state_of

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

T = TypeVar("T")
# A locked database (an import holding it) is waited for and tried again after each of these
# seconds (each try itself waits the busy timeout); then the user is told, the app goes on.
BUSY_RETRY_DELAYS: tuple[float, ...] = (0.5, 1.0, 2.0)


def _run(node: DOMNode, work: Callable[[Engine], T]) -> T | GaptrackError:
    """``work(engine)`` with a busy database retried; any failure as an error to show.

    A worker must never take the app down: an unexpected exception is shown, not raised.
    """
    from gaptrack.db import retry_busy  # here: the core's imports stay off the first paint

    try:
        return retry_busy(lambda: work(state_of(node).engine()), BUSY_RETRY_DELAYS)
    except GaptrackError as exc:
        return exc
    except Exception as exc:
        return GaptrackError(f"{type(exc).__name__}: {exc}", title="Unexpected error")


def show_error(node: DOMNode, error: GaptrackError) -> None:
    node.app.notify(display(error.message, 1000), title=display(error.title, 100),
                    severity="error", timeout=8, markup=False)


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
        result = _run(node, fetch)
        if isinstance(result, GaptrackError):
            if not worker.is_cancelled:
                node.app.call_from_thread(show_error, node, result)
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
        from gaptrack.service.view_store import refresh_deferred, refresh_pending

        with refresh_deferred() as pending:
            result = _run(node, action)
        if isinstance(result, GaptrackError):
            node.app.call_from_thread(show_error, node, result)
            if isinstance(result, StaleError):  # show what it is now
                node.app.call_from_thread(_reload_all, node)
            return
        summary = getattr(result, "summary", None)
        if summary:
            node.app.call_from_thread(_notify, node, summary)
        if pending:
            # The kept status part follows the write (seconds at a million documents) after
            # the person is told it is done; the screens reload once it is kept.
            refreshed = _run(node, lambda _engine: refresh_pending(pending))
            if isinstance(refreshed, GaptrackError):
                node.app.call_from_thread(show_error, node, refreshed)
        node.app.call_from_thread(_finish, node, result, done)

    return node.run_worker(work, thread=True, group="action")


def _notify(node: DOMNode, summary: str) -> None:
    node.app.notify(display(summary, 1000), title="Done", markup=False)


def _finish(node: DOMNode, result: Any, done: Callable[[Any], None] | None) -> None:
    if done is not None:
        done(result)
    _reload_all(node)


def _reload_all(node: DOMNode) -> None:
    from gaptrack.tui.messages import DataChanged

    for screen in node.app.screen_stack:
        screen.post_message(DataChanged())
