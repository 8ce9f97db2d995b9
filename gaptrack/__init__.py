"""gaptrack: what did we request, what did they produce, and what do we know they hold back?

The package is a headless core (``models``, ``db``, ``casefile``, ``importers``, ``gaps``,
``reports``, ``service``) with two thin faces over the service layer: ``cli`` and ``tui``.
Nothing outside ``gaptrack.tui`` imports Textual.
"""

__version__ = "0.1.0"
