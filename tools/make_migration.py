"""Autogenerate a migration from the models: ``python tools/make_migration.py "message"``.

``--initial`` rewrites the single initial revision (allowed only before the first release).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from alembic import command

from gaptrack.db import MIGRATIONS_DIR, alembic_config, make_engine, upgrade


def main(argv: list[str]) -> None:
    initial = "--initial" in argv
    words = [a for a in argv if not a.startswith("--")]
    message = words[0] if words else "schema change"
    if initial:
        for old in (MIGRATIONS_DIR / "versions").glob("*_initial.py"):
            old.unlink()
        message = "initial"
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'scratch.db'}")
        upgrade(engine)
        config = alembic_config(engine)
        rev_id = "0001" if initial else None
        command.revision(config, message=message, autogenerate=True, rev_id=rev_id)


if __name__ == "__main__":
    main(sys.argv[1:])
