"""Escape sequences in data never reach the terminal from the CLI (issue 17, line 9), on both
backends: the gaps table, the status report and the deficiency letter show control
characters and bidi overrides as escapes, and the Markdown letter carries no raw HTML."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from gaptrack.service.cases import load_case_files
from tests.conftest import FIXTURES
from tests.support import cli as run

OSC = "\x1b]0;pwned\x07"
RED = "\x1b[31m"
RLO = "\u202e"


def test_gaps_table_status_and_letter_escape_data(engine: Engine, db_url: str) -> None:
    load_case_files(engine, [FIXTURES / "sjc-kushner-2017.yaml"])
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE party SET name = :n WHERE slug = 'kushner'"),
                     {"n": f"Jared {RED}Kushner{OSC} {RLO}gpj.exe"})
        conn.execute(sa.text("UPDATE request_item SET text = :t"),
                     {"t": f"All documents {OSC}<script>alert(1)</script><img onerror=x>"})
        conn.execute(sa.text("UPDATE known_item SET description = :d"),
                     {"d": f"an email {RED}<script>x</script>"})
    outputs = {
        "gaps table": run(db_url, "gaps", "--party", "kushner", "--as-of", "2017-11-16"),
        "gaps md": run(db_url, "gaps", "--party", "kushner", "--as-of", "2017-11-16",
                       "--format", "md"),
        "status": run(db_url, "status", "--party", "kushner", "--as-of", "2017-11-16"),
        "letter md": run(db_url, "letter", "--party", "kushner", "--as-of", "2017-11-16"),
        "letter html": run(db_url, "letter", "--party", "kushner", "--as-of", "2017-11-16",
                           "--format", "html"),
    }
    for name, result in outputs.items():
        assert result.returncode == 0, (name, result.stderr)
        out = result.stdout
        assert "\x1b" not in out and "\x07" not in out and RLO not in out, name
        assert "\\x1b" in out or "\\u202e" in out, name  # shown, escaped
    for name in ("gaps md", "letter md", "letter html"):
        assert "<script>" not in outputs[name].stdout, name
        assert "<img" not in outputs[name].stdout, name
    gaps_json = run(db_url, "gaps", "--party", "kushner", "--as-of", "2017-11-16",
                    "--format", "json")
    assert "\x1b" not in gaps_json.stdout and RLO not in gaps_json.stdout
