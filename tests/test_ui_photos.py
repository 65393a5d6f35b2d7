"""A customer posts a photo of a broken lid: the owner sees a labelled placeholder with
the alt text, loads it with one click (in the background, from the post's server), opens
it full size, and can let an account's photos load by themselves. Nothing loads unasked.

Real parts: the local Mastodon test server serving real PNG/JPEG/WebP bytes, the real
fetcher and disk cache, a threaded TaskRunner (fetching never happens on the GUI thread).
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QTextDocument

from app.core.models import (
    Author,
    MediaKind,
    MediaLink,
    Network,
    Post,
    Sentiment,
    SentimentLabel,
    StoredPost,
    ThreadRow,
    ThreadStatus,
)
from app.core.photos import CachedPhotos
from app.net.media_fetch import PhotoFetcher
from app.storage.photo_cache import PhotoCache
from app.ui.conversation_view import ConversationPane
from app.ui.photo_loader import PhotoLoader
from app.ui.task_runner import TaskRunner
from tests.mastodon_server import MastodonServer
from tests.photo_bytes import corrupt_png, image_bytes

WHEN = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


def thread_with(
    media: tuple[MediaLink, ...], account_id: int = 1
) -> tuple[ThreadRow, list[StoredPost]]:
    ann = Author(Network.MASTODON, "7", "@ann@town.example", "Ann")
    post = Post(
        Network.MASTODON, "110", ann, "The lid arrived broken", WHEN, is_mention=True, media=media
    )
    stored = StoredPost(1, 1, account_id, post, Sentiment(-0.5, SentimentLabel.NEGATIVE))
    row = ThreadRow(
        1,
        account_id,
        Network.MASTODON,
        ann.handle,
        "Ann",
        post.text,
        WHEN,
        ThreadStatus.NEEDS_REPLY,
        SentimentLabel.NEGATIVE,
        -0.5,
        True,
        1,
    )
    return row, [stored]


def photo(server: MastodonServer, name: str, alt: str = "A cracked teapot lid") -> MediaLink:
    return MediaLink(
        f"Image: {alt}",
        f"{server.url}/media/{name}/full",
        kind=MediaKind.IMAGE,
        alt=alt,
        preview_url=f"{server.url}/media/{name}/small",
    )


class Setup:
    def __init__(
        self, qtbot: Any, server: MastodonServer, folder: Path, always: set[int] | None = None
    ) -> None:
        self.runner = TaskRunner(max_threads=2)
        self.pane = ConversationPane()
        qtbot.addWidget(self.pane)
        self.pane.resize(800, 700)
        self.pane.view.open_links_externally = False
        self.fetch_threads: list[threading.Thread] = []
        fetcher = PhotoFetcher()

        def fetch(url: str) -> bytes:
            self.fetch_threads.append(threading.current_thread())
            return fetcher.fetch(url)

        self.saved: list[list[int]] = []
        self.cache = PhotoCache(folder / "photo-cache")
        self.loader = PhotoLoader(
            self.pane, self.runner, CachedPhotos(fetch, self.cache), always, self.saved.append
        )

    def click(self, href: str) -> None:
        self.pane.view.anchorClicked.emit(QUrl(href))

    def text(self) -> str:
        return self.pane.view.toPlainText()


@pytest.fixture
def setup(qtbot: Any, mastodon_server: MastodonServer, tmp_path: Path) -> Any:
    made = Setup(qtbot, mastodon_server, tmp_path)
    yield made
    made.runner.shutdown()


def test_a_photo_shows_as_a_placeholder_with_its_alt_text_and_nothing_is_fetched(
    setup: Setup, mastodon_server: MastodonServer
) -> None:
    setup.pane.show_thread(*thread_with((photo(mastodon_server, "lid"),)))
    assert "Photo: A cracked teapot lid" in setup.text()
    assert "Show photo" in setup.text()
    assert mastodon_server.requests_to("/media") == []
    assert setup.pane.view.photo_images == {}


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP"])
def test_one_click_loads_the_thumbnail_in_the_background(
    qtbot: Any, setup: Setup, mastodon_server: MastodonServer, fmt: str
) -> None:
    mastodon_server.respond_next(
        "/media/lid/small", body=image_bytes(fmt, 120, 90), content_type=f"image/{fmt.lower()}"
    )
    setup.pane.show_thread(*thread_with((photo(mastodon_server, "lid"),)))
    setup.click("shopkeep-photo:show/0")
    qtbot.waitUntil(lambda: bool(setup.pane.view.photo_images))
    image = setup.pane.view.photo_images[f"{mastodon_server.url}/media/lid/small"]
    assert (image.width(), image.height()) == (120, 90)
    assert setup.fetch_threads and threading.main_thread() not in setup.fetch_threads
    doc = setup.pane.view.document()
    shown = doc.resource(QTextDocument.ResourceType.ImageResource, QUrl("shopkeep-photo-image:0"))
    assert shown is not None and not shown.isNull()
    assert "Open full size" in setup.text()
    assert [r.path for r in mastodon_server.requests_to("/media")] == ["/media/lid/small"]


def test_a_corrupt_photo_says_so_calmly(
    qtbot: Any, setup: Setup, mastodon_server: MastodonServer
) -> None:
    mastodon_server.respond_next("/media/bad/small", body=corrupt_png(), content_type="image/png")
    setup.pane.show_thread(*thread_with((photo(mastodon_server, "bad"),)))
    setup.click("shopkeep-photo:show/0")
    qtbot.waitUntil(lambda: "could not be read" in setup.text())
    assert setup.pane.view.photo_images == {}
    assert setup.cache.size() == 0  # bytes that do not decode are not kept
    # The server has the good file now: "Try again" fetches it once more.
    mastodon_server.respond_next(
        "/media/bad/small", body=image_bytes("PNG"), content_type="image/png"
    )
    setup.click("shopkeep-photo:retry/0")
    qtbot.waitUntil(lambda: bool(setup.pane.view.photo_images))
    assert "could not be read" not in setup.text()


def test_a_50_mb_photo_is_refused(
    qtbot: Any, setup: Setup, mastodon_server: MastodonServer
) -> None:
    huge = image_bytes("PNG") + b"\x00" * (50 * 1024 * 1024)
    mastodon_server.respond_next("/media/huge/small", body=huge, content_type="image/png")
    setup.pane.show_thread(*thread_with((photo(mastodon_server, "huge"),)))
    setup.click("shopkeep-photo:show/0")
    qtbot.waitUntil(lambda: "too large" in setup.text())
    assert setup.cache.size() == 0


def test_the_full_size_photo_opens_in_a_viewer(
    qtbot: Any, setup: Setup, mastodon_server: MastodonServer
) -> None:
    mastodon_server.respond_next(
        "/media/lid/small", body=image_bytes("PNG", 100, 75), content_type="image/png"
    )
    mastodon_server.respond_next(
        "/media/lid/full", body=image_bytes("JPEG", 1000, 750), content_type="image/jpeg"
    )
    setup.pane.show_thread(*thread_with((photo(mastodon_server, "lid"),)))
    setup.click("shopkeep-photo:show/0")
    qtbot.waitUntil(lambda: bool(setup.pane.view.photo_images))
    setup.click("shopkeep-photo:full/0")
    qtbot.waitUntil(lambda: setup.loader.viewer is not None)
    viewer = setup.loader.viewer
    assert viewer.picture.pixmap().width() == 1000
    assert viewer.alt.text() == "A cracked teapot lid"
    viewer.close()
    # The server lost the full-size file: the owner is told, calmly, without a modal box.
    setup.pane.view.forget_photos()
    setup.cache.forget(f"{mastodon_server.url}/media/lid/full")
    mastodon_server.respond_next("/media/lid/full", status=404, body={"error": "gone"})
    setup.click("shopkeep-photo:full/0")
    qtbot.waitUntil(lambda: setup.loader.problem is not None)
    assert "could not be opened" in setup.loader.problem.text()
    assert not setup.loader.problem.isModal()
    setup.loader.problem.close()


def test_video_and_audio_stay_links(setup: Setup, mastodon_server: MastodonServer) -> None:
    media = (
        MediaLink("Video: unboxing", "https://town.example/v.mp4", kind=MediaKind.VIDEO),
        MediaLink("Audio", "https://town.example/a.mp3", kind=MediaKind.AUDIO),
    )
    setup.pane.show_thread(*thread_with(media))
    assert "Attachment: Video: unboxing (https://town.example/v.mp4)" in setup.text()
    assert "Attachment: Audio (https://town.example/a.mp3)" in setup.text()
    assert "Show photo" not in setup.text()


def test_an_account_set_to_load_photos_shows_them_without_a_click(
    qtbot: Any, mastodon_server: MastodonServer, tmp_path: Path
) -> None:
    made = Setup(qtbot, mastodon_server, tmp_path, always=set())
    try:
        mastodon_server.respond_next(
            "/media/lid/small", body=image_bytes("WEBP", 60, 40), content_type="image/webp", times=1
        )
        made.pane.show_thread(*thread_with((photo(mastodon_server, "lid"),), account_id=1))
        assert mastodon_server.requests_to("/media") == []  # off by default
        made.click("shopkeep-photo:always/1")
        qtbot.waitUntil(lambda: bool(made.pane.view.photo_images) and made.saved == [[1]])
        assert "Stop loading photos from this account" in made.text()
        # Another thread of the same account later: loaded by itself (from the disk cache).
        made.pane.clear()
        row, posts = thread_with((photo(mastodon_server, "lid"),), account_id=1)
        made.pane.show_thread(row, posts)
        qtbot.waitUntil(lambda: bool(made.pane.view.photo_images))
        assert len(mastodon_server.requests_to("/media")) == 1
        # A thread of another account still asks first.
        made.pane.clear()
        made.pane.show_thread(*thread_with((photo(mastodon_server, "other"),), account_id=2))
        assert "Show photo" in made.text()
        assert len(mastodon_server.requests_to("/media")) == 1
    finally:
        made.runner.shutdown()


def test_the_app_keeps_loaded_photos_and_the_account_choice_in_its_data_folder(
    qtbot: Any, ui_paths: Any, mastodon_server: MastodonServer
) -> None:
    import json
    import stat

    from app.main import build_window, quit_quickly

    ui_paths.settings_file.write_text(json.dumps({"load_photos_accounts": [7]}))
    window = build_window(ui_paths, demo=True, synchronous=True)
    qtbot.addWidget(window, before_close_func=lambda w: quit_quickly(w, 2000))
    loader = window.photo_loader
    assert loader.always == {7}
    pane = window.conversation_pane
    pane.view.open_links_externally = False
    mastodon_server.respond_next(
        "/media/lid/small", body=image_bytes("JPEG", 80, 60), content_type="image/jpeg"
    )
    row, posts = thread_with((photo(mastodon_server, "lid"),), account_id=7)
    pane.show_thread(row, posts)  # account 7 loads photos by itself
    qtbot.waitUntil(lambda: bool(pane.view.photo_images))
    (cached,) = ui_paths.photo_cache_dir.iterdir()
    assert stat.S_IMODE(cached.stat().st_mode) == 0o600
    pane.view.anchorClicked.emit(QUrl("shopkeep-photo:always/0"))  # "Stop loading…"
    qtbot.waitUntil(
        lambda: json.loads(ui_paths.settings_file.read_text()).get("load_photos_accounts") == []
    )
    assert "Show photo" not in pane.view.toPlainText()  # this one stays, already loaded
