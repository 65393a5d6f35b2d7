"""Work over app.net and app.storage that the window and the commands share, without Qt.

Adding and removing accounts, opening the team inbox, building the network clients.
"""
