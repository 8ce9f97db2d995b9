"""The YAML case-file format: read with line numbers, load idempotently, export back."""
