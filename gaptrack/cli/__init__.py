"""The command-line face: a thin Typer wrapper over ``gaptrack.service``."""
