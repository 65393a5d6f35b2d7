"""The window over the concrete layers: its services, the team and people parts, the self-test.

Like app.main these may import every layer; Qt only through app.ui, inside functions.
"""
