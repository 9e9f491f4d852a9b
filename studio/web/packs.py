"""Publish packs: for approved renders, one zip per platform with the files and ready words in each language."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from studio.campaign.models import Campaign
from studio.formats import get_format
from studio.web.data import Render

#: Which formats each platform posts (print shops get the print PDFs).
PLATFORMS: dict[str, tuple[str, ...]] = {
    "instagram": ("instagram-post", "instagram-portrait", "story", "square"),
    "facebook": ("facebook-link", "instagram-post", "square", "youtube"),
    "telegram": (
        "instagram-post",
        "instagram-portrait",
        "facebook-link",
        "square",
        "story",
        "youtube",
        "messenger",
        "podcast",
    ),
    "youtube": ("youtube", "story"),
    "print": ("a4", "a3", "a2", "street-banner-3x1m", "billboard-6x3m"),
}


def pack_renders(renders: list[Render], platform: str) -> list[Render]:
    """The approved, final renders a platform takes (drafts never)."""
    formats = PLATFORMS[platform]
    return [r for r in renders if r.status == "approved" and not r.draft and r.format in formats]


def _copy_words(campaign: Campaign, render: Render) -> dict[str, str]:
    try:
        deliverable = campaign.deliverable(render.deliverable)
    except KeyError:
        return {"headline": render.deliverable, "body": "", "cta": "", "hashtags": " ".join(campaign.hashtags)}
    copy = deliverable.text.get(render.language)
    return {
        "headline": copy.headline if copy else render.deliverable,
        "body": (copy.body or "") if copy else "",
        "cta": (copy.call_to_action or "") if copy else "",
        "hashtags": " ".join(deliverable.hashtags),
    }


def post_text(campaign: Campaign, render: Render) -> str:
    words = _copy_words(campaign, render)
    lines = [words["headline"]]
    if words["body"]:
        lines += ["", words["body"]]
    cta = words["cta"] or campaign.reporting.call_to_action.get(render.language, "")
    # The plain reporting link: the QR code's own link is tagged as a scan, and a tap on a post is not one.
    lines += ["", f"{cta} {campaign.reporting.url}".strip()]
    if render.kind == "video" or render.main.get("synthetic"):
        lines += ["", {"ky": "ЖИ менен түзүлгөн.", "ru": "Создано с помощью ИИ."}.get(render.language, "AI-generated.")]
    lines += ["", words["hashtags"]]
    return "\n".join(lines) + "\n"


def alt_text(campaign: Campaign, render: Render) -> str:
    words = _copy_words(campaign, render)
    parts = [words["headline"], words["body"]]
    if render.kind != "video":
        parts.append({"ky": "Кабарлоо үчүн QR-код.", "ru": "QR-код для сообщения."}.get(render.language, ""))
    return " ".join(p for p in parts if p).strip() + "\n"


def build_pack(campaign: Campaign, quarter_dir: Path, renders: list[Render], platform: str) -> bytes:
    """The zip: ``DELIVERABLE/LANG/`` with the approved files, captions, ``post.txt``, ``alt.txt``, ``hashtags.txt``."""
    buffer = io.BytesIO()
    index = []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for render in pack_renders(renders, platform):
            folder = f"{render.deliverable}/{render.language}"
            for entry in render.files:
                name = entry["path"].rsplit("/", 1)[-1]
                # A locked revision keeps its .rN name on disk; the pack gives the plain one.
                if render.revision > 1:
                    name = name.replace(f".r{render.revision}.", ".", 1)
                zf.write(quarter_dir / entry["path"], f"{folder}/{name}")
            words = _copy_words(campaign, render)
            zf.writestr(f"{folder}/{render.format}.post.txt", post_text(campaign, render))
            zf.writestr(f"{folder}/{render.format}.alt.txt", alt_text(campaign, render))
            zf.writestr(f"{folder}/{render.format}.hashtags.txt", words["hashtags"] + "\n")
            fmt = get_format(render.format)
            index.append(f"{folder}/{render.format}: {fmt.description} — {words['headline']}")
        warning = ""
        if campaign.reporting.placeholder:
            warning = (
                "!!! Кабарлоо каналдары — үлгү (placeholder): жарыялоодон мурун алмаштырыңыз.\n"
                "!!! Каналы для сообщений — образец (placeholder): замените их перед публикацией.\n\n"
            )
        zf.writestr("README.txt", f"{campaign.id} · {platform}\n\n{warning}" + "\n".join(index) + "\n")
    return buffer.getvalue()
