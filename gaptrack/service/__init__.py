"""The service layer: the one API that both faces (CLI and TUI) call.

Functions here take an ``Engine`` (or a ``Session`` for a caller's unit of work) and return
read models or plain values, never live ORM objects.
"""
