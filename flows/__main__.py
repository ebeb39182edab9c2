"""``python -m flows``: the command line (see flows/cli.py)."""

from flows.cli import main

main()
