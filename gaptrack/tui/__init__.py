"""The Textual face of gaptrack. Nothing in the core imports this package."""
