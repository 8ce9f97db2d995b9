"""Renderers: gaps and status as table / JSON / CSV / Markdown / HTML, and deficiency letters.

Pure functions of read models: the same input gives the same bytes (no clock, stable order).
"""
