"""A customer's photo is fetched only when asked, from its own server, within limits.

Served by the local Mastodon test server with real image bytes.
"""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from app.core.errors import PhotoRefused
from app.core.photos import CachedPhotos
from app.net.media_fetch import PhotoFetcher, image_type
from app.storage.photo_cache import PhotoCache
from tests.mastodon_server import MastodonServer
from tests.photo_bytes import image_bytes


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP"])
def test_a_posted_photo_is_fetched_in_each_common_format(
    mastodon_server: MastodonServer, fmt: str
) -> None:
    data = image_bytes(fmt)
    mastodon_server.respond_next("/media/box", body=data, content_type=f"image/{fmt.lower()}")
    got = PhotoFetcher().fetch(f"{mastodon_server.url}/media/box")
    assert got == data
    assert image_type(got) == fmt.lower()


def test_a_50_mb_photo_is_refused_without_reading_it_all(mastodon_server: MastodonServer) -> None:
    huge = image_bytes("PNG") + b"\x00" * (50 * 1024 * 1024)
    mastodon_server.respond_next("/media/huge", body=huge, content_type="image/png")
    with pytest.raises(PhotoRefused) as refused:
        PhotoFetcher().fetch(f"{mastodon_server.url}/media/huge")
    assert "too large" in refused.value.user_message


def test_a_photo_one_byte_over_the_cap_is_refused(mastodon_server: MastodonServer) -> None:
    data = image_bytes("PNG", 400, 400)
    mastodon_server.respond_next("/media/big", body=data, content_type="image/png")
    with pytest.raises(PhotoRefused):
        PhotoFetcher(max_bytes=len(data) - 1).fetch(f"{mastodon_server.url}/media/big")


def test_a_page_that_claims_to_be_a_photo_is_refused(mastodon_server: MastodonServer) -> None:
    mastodon_server.respond_next(
        "/media/fake", body=b"<html><script>x</script></html>", content_type="image/png"
    )
    with pytest.raises(PhotoRefused):
        PhotoFetcher().fetch(f"{mastodon_server.url}/media/fake")
    mastodon_server.respond_next("/media/page", body=image_bytes("PNG"), content_type="text/html")
    with pytest.raises(PhotoRefused):
        PhotoFetcher().fetch(f"{mastodon_server.url}/media/page")


def test_plain_http_to_another_machine_is_never_tried() -> None:
    with pytest.raises(PhotoRefused) as refused:
        PhotoFetcher().fetch("http://photos.example/box.png")
    assert "https" in refused.value.user_message
    with pytest.raises(PhotoRefused):
        PhotoFetcher().fetch("file:///etc/passwd")


def test_a_photo_loaded_once_opens_again_from_the_disk_cache(
    mastodon_server: MastodonServer, tmp_path: Path
) -> None:
    data = image_bytes("JPEG")
    mastodon_server.respond_next("/media/receipt", body=data, content_type="image/jpeg")
    url = f"{mastodon_server.url}/media/receipt"
    photos = CachedPhotos(PhotoFetcher().fetch, PhotoCache(tmp_path / "photo-cache"))
    assert photos.photo(url) == data
    assert photos.photo(url) == data  # the server would now answer 404: it is not asked
    assert len(mastodon_server.requests_to("/media/receipt")) == 1
    files = list((tmp_path / "photo-cache").iterdir())
    assert [stat.S_IMODE(f.stat().st_mode) for f in files] == [0o600]
    assert stat.S_IMODE((tmp_path / "photo-cache").stat().st_mode) == 0o700


def test_the_cache_never_grows_past_its_cap(tmp_path: Path) -> None:
    cache = PhotoCache(tmp_path / "c", cap_bytes=250_000)
    for i in range(10):
        cache.put(f"https://shop.test/{i}", bytes([i]) * 100_000)
        assert cache.size() <= 250_000
    assert cache.get("https://shop.test/9") == bytes([9]) * 100_000  # the newest stays
    assert cache.get("https://shop.test/0") is None
    cache.put("https://shop.test/too-big", b"x" * 300_000)
    assert cache.get("https://shop.test/too-big") is None


def test_a_gif_is_not_fetched_as_a_photo(mastodon_server: MastodonServer) -> None:
    """Mastodon and Bluesky turn GIFs into video; the app keeps no GIF decoder."""
    mastodon_server.respond_next(
        "/media/anim", body=b"GIF89a" + b"\x00" * 100, content_type="image/gif"
    )
    with pytest.raises(PhotoRefused):
        PhotoFetcher().fetch(f"{mastodon_server.url}/media/anim")
