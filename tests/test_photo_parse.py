"""Photos keep their alt text and thumbnail address from both networks, and in storage."""

from __future__ import annotations

import pytest

from app.core.models import MediaKind, MediaLink
from app.net.bluesky_parse import media_from_embed
from app.net.mastodon_parse import parse_status
from tests.test_mastodon_parse import status_json


def test_a_mastodon_photo_keeps_its_alt_text_and_preview() -> None:
    media = list(status_json()["media_attachments"])
    media[0] = {**media[0], "preview_url": "https://cdn.example/small/lid.jpg"}
    media.append({"id": "3", "type": "audio", "url": "https://cdn.example/a.mp3"})
    post = parse_status(status_json(media_attachments=media))
    photo, video, audio = post.media
    assert (photo.kind, photo.alt, photo.url, photo.preview_url) == (
        MediaKind.IMAGE,
        "A cracked teapot lid",
        "https://cdn.example/lid.jpg",
        "https://cdn.example/small/lid.jpg",
    )
    assert (video.kind, audio.kind) == (MediaKind.VIDEO, MediaKind.AUDIO)
    assert photo.label == "Image: A cracked teapot lid"  # what older screens showed


def test_a_bluesky_photo_keeps_its_alt_text_thumbnail_and_full_size() -> None:
    embed = {
        "$type": "app.bsky.embed.images#view",
        "images": [
            {
                "alt": "receipt",
                "thumb": "https://cdn.bsky.test/t/1",
                "fullsize": "https://cdn.bsky.test/f/1",
            },
            {"alt": "", "thumb": "javascript:alert(1)", "fullsize": "data:x"},
        ],
    }
    good, bad = media_from_embed(embed, "https://bsky.app/profile/a/post/1")
    assert (good.kind, good.alt, good.preview_url, good.url) == (
        MediaKind.IMAGE,
        "receipt",
        "https://cdn.bsky.test/t/1",
        "https://cdn.bsky.test/f/1",
    )
    assert (bad.kind, bad.preview_url, bad.url) == (
        MediaKind.LINK,
        "",
        "https://bsky.app/profile/a/post/1",
    )


@pytest.mark.engines("sqlite")
def test_a_stored_photo_reads_back_and_old_rows_read_as_links(
    store, shop_account, make_post, keyword_score
) -> None:
    from app.storage import tables as t

    photo = MediaLink(
        "Image: lid",
        "https://cdn.example/lid.jpg",
        kind=MediaKind.IMAGE,
        alt="A cracked lid",
        preview_url="https://cdn.example/s/lid.jpg",
    )
    post = make_post("120", "Look at this", media=(photo,))
    thread_id = store.ingest(shop_account.id, [post], keyword_score).new_thread_ids[0]
    (stored,) = store.thread_posts(thread_id)
    assert stored.post.media == (photo,)

    t.Post.update(media=[{"label": "photo of the box", "url": "https://t.example/1.jpg"}]).execute()
    (old,) = store.thread_posts(thread_id)
    assert old.post.media == (MediaLink("photo of the box", "https://t.example/1.jpg"),)
    assert old.post.media[0].kind is MediaKind.LINK
