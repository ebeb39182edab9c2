"""``python -m flows``: the command line (see flows/cli.py)."""

from flows.cli import main

if __name__ == "__main__":  # Dask's worker processes import this module again: no command there
    main()
