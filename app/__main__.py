"""`python -m app` and the `shopkeep` command start Shopkeep (or a subcommand, see app.main).

Kept tiny on purpose: a scoring worker is a spawned process, and spawning runs the
command's script again (everything above its `if __name__ == "__main__"`), so the
script imports this module, which imports the app only when the command runs.
Pointed at `app.main:main`, every worker imported the whole app (~0.12 s each).
"""

import multiprocessing


def main() -> int:
    """The command's entry point (pyproject.toml's `[project.scripts]`)."""
    from app.main import main as run

    return run()


if __name__ == "__main__":  # not in a scoring worker, which imports this module again
    multiprocessing.freeze_support()  # a frozen build's workers start (and end) here
    raise SystemExit(main())
