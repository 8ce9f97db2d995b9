from gaptrack.cli.main import run

run()
