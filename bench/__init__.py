"""Benchmarks: ``make bench`` (``python -m bench``). Each reports a ratio to a baseline
measured in the same run; nothing here asserts on time."""
