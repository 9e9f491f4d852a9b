"""The review gallery's page, read as HTML: grouping, labels, failures, and nothing loaded from elsewhere."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest

from studio.batch.manifest import parse_manifest
from studio.errors import StudioError
from studio.report import build_gallery
from studio.report.html import external_href, relative_href
from studio.report.i18n import TEXT


class _Page(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def attrs(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]

    @property
    def words(self) -> str:
        """The page's text as a reader sees it: whitespace runs made one space."""
        return " ".join("".join(self.text).split())


def _entry(path: str, role: str, **fields: Any) -> dict[str, Any]:
    deliverable, language, name = path.split("/")
    kind = {"image": "social", "print": "banner", "proof": "banner"}.get(role, "video")
    return {
        "path": path,
        "kind": kind,
        "role": role,
        "deliverable": deliverable,
        "language": language,
        "format": name.split(".")[0],
        "bytes": 1500,
        "media_type": "application/octet-stream",
        "quarter": "2026Q2",
        "sha256": "0" * 64,
        "synthetic": kind == "video",
        "disclosure": [],
    } | fields


MANIFEST_JSON: dict[str, Any] = {
    "campaign": "tash-komur-2026",
    "quarter": "2026Q2",
    "generated_at": "2026-06-20T09:00:00+00:00",
    "studio_version": "0.1.0",
    "renders": [
        _entry(
            "video-b/ru/story.mp4",
            "video",
            disclosure=["visible-badge", "spoken"],
            voice_engine="espeak",
            duration_s=42.25,
            captions=["story.srt", "story.vtt"],
            width_px=1080,
            height_px=1920,
            notices=["gtts failed; espeak used instead"],
        ),
        _entry("video-b/ru/story.vtt", "captions"),
        _entry("video-b/ru/story.draft.mp4", "video", disclosure=[], width_px=540, height_px=960),
        _entry(
            "social-a/ru/story.png",
            "image",
            width_px=1080,
            height_px=1920,
            qr_url="https://tash-komur.example/report?src=qr&d=social-a&f=story&l=ru&q=2026Q2",
        ),
        _entry("social-a/ky/instagram-post.png", "image", width_px=1080, height_px=1080, qr_url="tg://resolve?x=1"),
        _entry("social-a/ky/story.png", "image", width_px=1080, height_px=1920, qr_url="javascript:alert(1)"),
        _entry("poster-c/ky/a4.pdf", "print", dpi=300, width_px=2480, height_px=3508),
        _entry("poster-c/ky/a4.png", "proof", width_px=1414, height_px=2000),
    ],
}
MANIFEST = parse_manifest(MANIFEST_JSON, "manifest.json")


@pytest.fixture(scope="module")
def page() -> _Page:
    failures = [{"deliverable": "video-b", "language": "ky", "format": "story", "error": "espeak: no voice"}]
    return _Page(build_gallery(MANIFEST, failures, "Таш-Көмүр 2026"))


def test_renders_are_grouped_by_deliverable_then_language(page: _Page) -> None:
    sections = [attrs["id"] for attrs in page.attrs("section") if attrs.get("class") == "deliverable"]
    assert len(sections) == 3
    words = page.words[page.words.index(TEXT["ky"]["contents"]) :]
    # Banners, then social ads, then videos; Kyrgyz before Russian; formats in the catalogue's order.
    assert words.index("poster-c") < words.index("social-a") < words.index("video-b")
    social = words[words.index("social-a (") :]
    assert social.index("кыргыз тили") < social.index("instagram-post") < social.index("орус тили")
    assert [a["src"] for a in page.attrs("img")] == [
        "poster-c/ky/a4.png",
        "social-a/ky/instagram-post.png",
        "social-a/ky/story.png",
        "social-a/ru/story.png",
    ]
    assert all(a["loading"] == "lazy" for a in page.attrs("img"))


def test_print_pdf_is_linked_beside_its_proof(page: _Page) -> None:
    hrefs = [a["href"] for a in page.attrs("a")]
    assert "poster-c/ky/a4.pdf" in hrefs and "poster-c/ky/a4.png" in hrefs
    assert "2480 × 3508 px, 300 dpi" in page.words


def test_videos_play_with_their_captions(page: _Page) -> None:
    videos = page.attrs("video")
    assert [v["src"] for v in videos] == ["video-b/ru/story.mp4", "video-b/ru/story.draft.mp4"]
    assert all("controls" in v and v["preload"] == "metadata" for v in videos)
    [track] = page.attrs("track")
    assert track == {
        "kind": "captions",
        "srclang": "ru",
        "label": "орус тили / русский",
        "src": "video-b/ru/story.vtt",
        "default": None,
    }
    assert "42,2 сек" in page.words or "42,3 сек" in page.words
    assert "espeak" in page.words and "gtts failed; espeak used instead" in page.words


def test_synthetic_renders_carry_a_visible_marker_and_their_labels(page: _Page) -> None:
    words = page.words
    assert words.count(TEXT["ky"]["synthetic"]) == 3  # two video cards and the summary row
    assert "көрүнгөн белги / видимая метка; үн менен эскертүү / устное предупреждение" in words
    # The draft carries no labels: the page says so rather than staying silent.
    assert TEXT["ky"]["disclosure_missing"] in words and TEXT["ky"]["draft"] in words


def test_failures_are_listed_with_their_reason(page: _Page) -> None:
    [failures] = [a for a in page.attrs("section") if a.get("id") == "failures"]
    assert failures["class"] == "failures"
    assert "espeak: no voice" in page.words and TEXT["ky"]["failed_heading"] in page.words
    no_failures = _Page(build_gallery(MANIFEST, [], "x"))
    assert TEXT["ky"]["failed_none"] in no_failures.words and TEXT["ru"]["failed_none"] in no_failures.words


def test_qr_targets_are_shown_and_only_safe_schemes_linked(page: _Page) -> None:
    hrefs = [a["href"] for a in page.attrs("a")]
    assert "https://tash-komur.example/report?src=qr&d=social-a&f=story&l=ru&q=2026Q2" in hrefs
    assert "tg://resolve?x=1" in hrefs
    assert "javascript:alert(1)" not in hrefs and "javascript:alert(1)" in page.words


def test_nothing_is_loaded_from_outside_the_quarter_folder() -> None:
    hostile = dict(
        MANIFEST_JSON,
        renders=[
            _entry("a/ky/story.png", "image") | {"path": "//evil.example/x.png"},
            _entry("a/ky/post.png", "image") | {"path": "../../secret.png"},
            _entry("a/ky/x.png", "image") | {"path": "https://evil.example/x.png"},
            _entry("b/ky/story.mp4", "video", captions=["../../../x.vtt"]),
        ],
    )
    page = _Page(build_gallery(parse_manifest(hostile, "hostile.json"), [], "x"))
    loaded = [a.get("src") or "" for tag in ("img", "video", "track", "script", "iframe") for a in page.attrs(tag)]
    loaded += [a.get("href") or "" for a in page.attrs("link")]
    assert loaded == ["https%3A//evil.example/x.png", "b/ky/story.mp4", "data:,"]
    assert not page.attrs("track")
    [csp] = [a["content"] for a in page.attrs("meta") if a.get("http-equiv") == "Content-Security-Policy"]
    assert csp and "default-src 'none'" in csp


def test_captions_given_as_text_are_inlined() -> None:
    vtt = "WEBVTT\n\n00:00.000 --> 00:01.000\nА\n"
    page = _Page(build_gallery(MANIFEST, [], "x", captions={"video-b/ru/story.vtt": vtt}))
    [track] = page.attrs("track")
    assert (track["src"] or "").startswith("data:text/vtt;charset=utf-8;base64,")


def test_a_broken_manifest_is_named() -> None:
    with pytest.raises(StudioError, match=r"m.json: not a valid manifest \(renders.0.kind: Field required\)"):
        parse_manifest(
            {"campaign": "c", "quarter": "2026Q1", "renders": [{"path": "a/ky/x.png", "deliverable": "a"}]}, "m.json"
        )


@pytest.mark.parametrize(
    ("path", "href"),
    [
        ("a/ky/story.png", "a/ky/story.png"),
        ("a b/ky/ствол #1.png", "a%20b/ky/%D1%81%D1%82%D0%B2%D0%BE%D0%BB%20%231.png"),
        ("javascript:alert(1)", "javascript%3Aalert%281%29"),
        ("/etc/passwd", None),
        ("//evil.example/x", None),
        ("a/../../x", None),
        ("a\\..\\x", None),
        ("", None),
    ],
)
def test_relative_href(path: str, href: str | None) -> None:
    assert relative_href(path) == href


def test_external_href() -> None:
    assert external_href("tel:+996312000000") == "tel:+996312000000"
    assert external_href("data:text/html,x") is None and external_href(None) is None


def test_both_languages_have_every_phrase() -> None:
    assert set(TEXT["ky"]) == set(TEXT["ru"])
