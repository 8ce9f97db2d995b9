"""The gap engine: derives every gap of DESIGN.md §4 with set-based SQL, given ``as_of``."""
