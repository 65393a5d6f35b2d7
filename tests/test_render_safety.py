"""Opening a hostile conversation loads nothing, runs nothing, and opens nothing by itself.

A customer (or their server) writes a status full of tricks: a tracking pixel,
a remote stylesheet, scripts, iframes, javascript: and file: links, escaped
HTML that turns back into tags. It travels the real path (Mastodon parser ->
SQLite store -> conversation view). A local server stands in for the tracker
and records every hit: there must be none. Links become clickable only for
http(s), show their real target, and open only when the owner clicks.
"""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from app.core.ports import ThreadQuery
from app.net.mastodon_parse import parse_status
from tests.sync_support import score


class Tracker:
    """A loopback web server that records every request (it must get none)."""

    def __init__(self) -> None:
        self.hits: list[str] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                outer.hits.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "image/gif")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True).start()

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


@pytest.fixture
def tracker() -> Iterator[Tracker]:
    server = Tracker()
    yield server
    server.close()


def hostile_status(t: str) -> dict[str, Any]:
    content = (
        f'<p>Hi shop! <img src="{t}/pixel.gif" width="1" height="1">'
        f'<link rel="stylesheet" href="{t}/style.css">'
        f'<style>@import url("{t}/import.css"); p {{ background: url({t}/bg.png) }}</style>'
        f'<script src="{t}/evil.js"></script><script>fetch("{t}/inline")</script>'
        f'<iframe src="{t}/frame.html"></iframe><object data="{t}/obj.swf"></object>'
        f'<video poster="{t}/poster.jpg" src="{t}/v.mp4"></video>'
        '<a href="javascript:alert(document.cookie)">click for a discount</a> '
        '<a href="file:///home/shop/.ssh/id_rsa">your invoice</a> '
        f'&lt;img src="{t}/escaped.png"&gt; '
        f'<a href="{t}/real-target">https://trusted.example/cake</a></p>'
        f'<p>see {t}/plain-link and <span style="background:url({t}/span.png)">this</span></p>'
    )
    return {
        "id": "900",
        "created_at": "2024-05-01T09:00:00Z",
        "content": content,
        "url": "javascript:alert(1)",
        "uri": f"{t}/statuses/900",
        "account": {
            "id": "66",
            "acct": "mallory@evil.example",
            "display_name": f'<img src="{t}/name.png">Mallory',
        },
        "spoiler_text": f'<img src="{t}/cw.png">',
        "visibility": "public",
        "media_attachments": [
            {
                "type": "image",
                "url": f"{t}/photo.jpg",
                "preview_url": f"{t}/thumb.jpg",
                "description": "the cake",
            },
            {"type": "image", "url": "file:///etc/passwd", "description": "local file"},
            {"type": "image", "url": "javascript:alert(2)", "description": "script"},
        ],
        "mentions": [],
    }


def anchors(view: Any) -> list[tuple[str, str, str]]:
    """(visible text, href, tooltip on hover) of every link fragment in the document."""
    from app.ui.conversation_view import hover_tip

    found = []
    block = view.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            fmt = fragment.charFormat()
            if fmt.isAnchor() and fmt.anchorHref():
                found.append((fragment.text(), fmt.anchorHref(), hover_tip(fmt)))
            it += 1
        block = block.next()
    return found


@pytest.fixture
def hostile_view(qtbot: Any, store: Any, shop_account: Any, tracker: Tracker) -> Any:
    """The hostile status parsed, stored, read back and shown in the conversation view."""
    from app.ui.conversation_view import ConversationView

    post = parse_status(hostile_status(tracker.url), is_mention=True)
    store.ingest(shop_account.id, [post], score)
    [row] = store.list_threads(ThreadQuery(), 0, 10)
    view = ConversationView()
    view.open_links_externally = False
    qtbot.addWidget(view)
    view.resize(800, 600)
    view.show_posts(store.thread_posts(row.id))
    view.show()
    qtbot.waitExposed(view)
    view.grab()  # a full paint, now: every resource the rendering would load, it asks for
    return view


def test_rendering_a_hostile_status_requests_nothing_from_anyone(
    hostile_view: Any, tracker: Tracker
) -> None:
    hostile_view.grab()  # paint it, as a user would see it
    hostile_view.verticalScrollBar().setValue(hostile_view.verticalScrollBar().maximum())
    hostile_view.grab()
    assert tracker.hits == []


def test_no_script_image_or_stylesheet_survives_into_the_document(hostile_view: Any) -> None:
    html = hostile_view.document().toHtml().lower()
    assert "<img" not in html and "<script" not in html and "<iframe" not in html
    assert "<link" not in html and "@import" not in html
    text = hostile_view.toPlainText()
    assert "Hi shop!" in text
    assert "fetch(" not in text  # script bodies are dropped, not shown
    assert '<img src="' in text  # escaped HTML is shown as the words it is, never as a tag


def test_only_http_links_are_clickable_and_each_shows_its_real_target(hostile_view: Any) -> None:
    from app.ui.conversation_view import LABEL_SCHEME, PHOTO_SCHEME

    links = [
        a
        for a in anchors(hostile_view)  # the chip and "Show photo" are the app's own
        if not a[1].startswith((f"{LABEL_SCHEME}:", f"{PHOTO_SCHEME}:"))
    ]
    assert links, "the web links should still be there to click"
    for shown, href, tooltip in links:
        assert href.lower().startswith(("http://", "https://")), href
        assert href in shown or tooltip == href, (shown, href)
    hrefs = {href for _, href, _ in links}
    assert not any(h.lower().startswith(("javascript:", "file:", "data:")) for h in hrefs)


def test_links_open_only_when_clicked(
    hostile_view: Any, tracker: Tracker, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QDesktopServices

    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toString()))
    hostile_view.open_links_externally = True
    assert opened == []  # rendering opened nothing
    target = f"{tracker.url}/real-target"
    hostile_view.anchorClicked.emit(QUrl(target))
    hostile_view.anchorClicked.emit(QUrl("javascript:alert(1)"))
    hostile_view.anchorClicked.emit(QUrl("file:///etc/passwd"))
    assert opened == [target]  # the click, and only the web link
    assert tracker.hits == []  # handed to the browser; Shopkeep itself fetched nothing
