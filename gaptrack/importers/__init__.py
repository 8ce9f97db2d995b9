"""Importers: load files and mailboxes in, documents out (docs/architecture.md §5–§6).

Each source format has a model of its own records (``dat``, ``opt``, ``mail``, ``privlog``),
streaming readers, and pure functions that map a record to gaptrack rows (``mapping``). The
``writer`` puts rows into the database in bulk; ``qc`` checks what was loaded. The service
layer (:mod:`gaptrack.service.intake`) ties them together in one transaction.
"""
