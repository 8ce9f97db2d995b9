"""Email threads rebuilt across all parties' productions: :mod:`.graph` builds them,
:mod:`gaptrack.service.threads` shows them per party."""

from gaptrack.threads.graph import Message, Shown, Thread, Threads, build_threads

__all__ = ["Message", "Shown", "Thread", "Threads", "build_threads"]
