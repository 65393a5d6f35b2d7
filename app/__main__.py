"""`python -m app` starts Shopkeep (or a subcommand, see app.main)."""

import multiprocessing

from app.main import main

if __name__ == "__main__":  # not in a scoring worker, which imports this module again
    multiprocessing.freeze_support()  # a frozen build's workers start through here
    raise SystemExit(main())
