"""The Qt user interface. The only package (with app/main.py) that imports PySide6.

It talks to storage and networks only through the ports in `app.core.ports`,
handed in by `app.main`.
"""
