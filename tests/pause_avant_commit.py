"""``python -m tests.pause_avant_commit REPERE ARGUMENTS...``: ``python -m flows ARGUMENTS``
with every warehouse transaction held open before its commit (the file REPERE is written,
then the process waits), so that a fault test can kill the process mid-transaction. The
pause lives here, not in the production code."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flows import warehouse
from flows.cli import main

transaction = warehouse.transaction
REPERE = Path(sys.argv[1])


@contextmanager
def transaction_suspendue(con) -> Iterator[None]:
    with transaction(con):
        yield
        REPERE.write_text("transaction ouverte")
        time.sleep(600)


if __name__ == "__main__":
    warehouse.transaction = transaction_suspendue
    sys.argv = ["python -m flows", *sys.argv[2:]]
    main()
