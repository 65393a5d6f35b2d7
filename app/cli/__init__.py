"""The headless commands `shopkeep sync`, `export`, `report` and `restore`.

One module each with `main(argv, paths) -> int`; app.main imports `app.cli.<command>` by name.
"""
