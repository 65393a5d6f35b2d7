"""What the owner sees cannot be forged by a customer or a server.

A customer's handle carries a right-to-left override to flip the header line;
their post links to "https://evil.example/https://paypal.com/login" and to a
host spelled with a Cyrillic "а"; a server's error for the shop's account is a
piece of HTML (a big red "ACCOUNT SUSPENDED", an image from disk, a fake link).
The window shows each for what it is.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as QtGui
from PySide6.QtGui import QTextDocument

from app.core.models import AccountState
from app.core.ports import ThreadQuery
from app.net.mastodon_parse import parse_status
from tests.sync_support import score

BIDI = ("\u202e", "\u202d", "\u202b", "\u2067")
SERVER_HTML = (
    '<b style="font-size:40pt;color:red">ACCOUNT SUSPENDED</b>'
    '<img src="file:///etc/hostname"> <a href="https://evil.example">Pay here</a>'
)


def as_shown(tip: str) -> QTextDocument:
    """The tooltip as Qt draws it: rich text when it looks like HTML, else plain."""
    doc = QTextDocument()
    if QtGui.mightBeRichText(tip):
        doc.setHtml(tip)
    else:
        doc.setPlainText(tip)
    return doc


def spoofing_status() -> dict[str, Any]:
    content = (
        "<p>@shop your refund is ready: "
        '<a href="https://evil.example/https://paypal.com/login">'
        "https://evil.example/https://paypal.com/login</a> or "
        '<a href="https://p\u0430ypal.com/login">https://p\u0430ypal.com/login</a></p>'
    )
    return {
        "id": "81",
        "created_at": "2024-05-01T09:00:00Z",
        "content": content,
        "visibility": "public",
        "account": {
            "id": "99",
            "acct": "support\u202elapyap@evil.example",
            "display_name": "Pay\u202ePal Support",
        },
    }


def test_a_spoofing_post_shows_its_real_hosts_and_a_straight_header(
    qtbot: Any, main_window: Any, ui_store: Any
) -> None:
    shop = next(a for a in ui_store.accounts())
    ui_store.ingest(shop.id, [parse_status(spoofing_status(), is_mention=True)], score)
    row = next(
        t for t in ui_store.list_threads(ThreadQuery(), 0, 500) if "evil.example" in t.author_handle
    )
    pane = main_window.conversation_pane
    pane.show_thread(row, ui_store.thread_posts(row.id))

    header = pane.title.text() + pane.subtitle.text()
    text = pane.view.toPlainText()
    assert not [c for c in BIDI if c in header + text]
    assert "@supportlapyap@evil.example" in header
    # the real host is named where the address mentions another site
    assert "https://evil.example/https://paypal.com/login [goes to evil.example]" in text
    # the look-alike is shown in the form DNS sees, not as "paypal.com"
    assert "https://xn--pypal-4ve.com/login [goes to xn--pypal-4ve.com]" in text
    assert "p\u0430ypal" not in text


def test_an_account_error_in_html_is_shown_as_words_in_every_tooltip(
    qtbot: Any, main_window: Any, ui_store: Any
) -> None:
    shop = next(a for a in ui_store.accounts())
    ui_store.update_account(shop.id, state=AccountState.UNREACHABLE, last_error=SERVER_HTML)
    main_window.refresh_side()
    qtbot.waitUntil(
        lambda: (
            shop.id in main_window.status.labels_by_account
            and "SUSPENDED" in main_window.status.labels_by_account[shop.id].toolTip()
        )
    )

    status_tip = main_window.status.labels_by_account[shop.id].toolTip()
    model = main_window.folder_model
    folder_tip = next(
        model.data(model.index(r), Qt.ItemDataRole.ToolTipRole)
        for r in range(model.rowCount())
        if model.data(model.index(r), Qt.ItemDataRole.ToolTipRole)
        and "SUSPENDED" in model.data(model.index(r), Qt.ItemDataRole.ToolTipRole)
    )
    for tip in (status_tip, folder_tip):
        shown = as_shown(tip)
        assert SERVER_HTML in shown.toPlainText()  # the tags are words on the screen
        assert "<img" not in shown.toHtml()  # no image, no link, no red headline
        assert 'href="https://evil.example' not in shown.toHtml()


def test_a_customer_snippet_in_the_thread_list_tooltip_is_not_rendered(
    qtbot: Any, main_window: Any, ui_store: Any
) -> None:
    shop = next(a for a in ui_store.accounts())
    status = spoofing_status()
    status["id"] = "82"
    status["content"] = "<p>&lt;h1&gt;FREE CAKE&lt;/h1&gt;&lt;img src=x&gt;</p>"
    ui_store.ingest(shop.id, [parse_status(status, is_mention=True)], score)
    main_window.set_query(ThreadQuery())
    model = main_window.thread_model
    qtbot.waitUntil(
        lambda: any(
            "FREE CAKE" in (model.data(model.index(r), Qt.ItemDataRole.ToolTipRole) or "")
            for r in range(model.rowCount())
        )
    )
    tip = next(
        model.data(model.index(r), Qt.ItemDataRole.ToolTipRole)
        for r in range(model.rowCount())
        if "FREE CAKE" in model.data(model.index(r), Qt.ItemDataRole.ToolTipRole)
    )
    shown = as_shown(tip)
    assert "<h1>FREE CAKE</h1><img src=x>" in shown.toPlainText()
    assert "<img" not in shown.toHtml()


def test_a_link_whose_label_names_another_site_shows_where_it_goes(
    qtbot: Any, main_window: Any, ui_store: Any
) -> None:
    shop = next(a for a in ui_store.accounts())
    status = spoofing_status()
    status.update(
        id="83",
        content="<p>@shop receipt attached</p>",
        media_attachments=[
            {
                "type": "image",
                "url": "https://evil.example/r.jpg",
                "description": "paypal.com/login receipt",
            },
            {
                "type": "image",
                "url": "https://cdn.shop.example/cake.jpg",
                "description": "our cake at shop.example",
            },
        ],
    )
    ui_store.ingest(shop.id, [parse_status(status, is_mention=True)], score)
    row = next(t for t in ui_store.list_threads(ThreadQuery(), 0, 500) if "receipt" in t.snippet)
    pane = main_window.conversation_pane
    pane.show_thread(row, ui_store.thread_posts(row.id))
    text = pane.view.toPlainText()
    # A photo is a placeholder whose button names the host one click would fetch from.
    assert "Photo: paypal.com/login receipt   Show photo (from evil.example)" in text
    assert "Photo: our cake at shop.example   Show photo (from cdn.shop.example)" in text
