"""The gap engine: derives every gap of docs/architecture.md §4 with set-based SQL, given
``as_of``."""
