"""The input formats, one module each, listed in :data:`gaptrack.importers.base.REGISTRY`."""
