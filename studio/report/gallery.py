"""The review gallery: one self-contained HTML page (``index.html``) showing every render of a quarter. Pure.

Campaign leads open it from the quarter's folder, so every link is relative to that folder; it loads
nothing from anywhere else (no scripts, no web fonts, and a Content-Security-Policy that forbids it).
"""

from __future__ import annotations

import base64
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from markupsafe import Markup

from studio.batch.manifest import Manifest, ManifestEntry
from studio.files import write_atomic
from studio.formats import FORMATS
from studio.kinds import KIND_MODULES
from studio.report.entries import FINAL_ROLES
from studio.report.html import external_href, relative_href, template
from studio.report.i18n import REPORT_LANGUAGES, decimal_text, size_text, text, text_or

GALLERY_NAME = "index.html"
_KIND_ORDER = tuple(KIND_MODULES)
_ROLE_ORDER = ("image", "reader", "print", "proof", "preview", "video", "audio", "captions")


@dataclass(frozen=True)
class FileLink:
    name: str
    href: str | None  # None when the path would leave the quarter folder
    role: str
    size: str


@dataclass(frozen=True)
class PreflightRow:
    label: Markup  # in both languages
    value: Markup | str
    ok: bool | None  # None: informative only


@dataclass(frozen=True)
class Card:
    """One deliverable in one language and one format (a draft gets its own card)."""

    format: str
    draft: bool
    image: str | None  # thumbnail: the social image or the print's proof
    image_px: tuple[int, int] | None
    video: str | None
    video_px: tuple[int, int] | None
    track: str | None  # the WebVTT captions
    language: str
    language_name: str  # "кыргыз тили / кыргызский", for the player's captions menu
    files: tuple[FileLink, ...]
    pixels: str
    qr_url: str | None
    qr_href: str | None
    synthetic: bool
    disclosure: tuple[str, ...]
    voice_engine: str | None
    duration: str | None
    size: str
    notices: tuple[str, ...]
    incomplete: bool = False  # the job failed after writing these files whole; it is redone next run
    audio: str | None = None  # radio spot, podcast or voice note: played in the page
    preflight: tuple[PreflightRow, ...] = ()  # the print PDF's preflight summary, from its manifest entry
    preflight_file: str | None = None


@dataclass(frozen=True)
class LanguageGroup:
    language: str
    cards: tuple[Card, ...]


@dataclass(frozen=True)
class DeliverableGroup:
    anchor: str
    deliverable: str
    kinds: tuple[str, ...]
    languages: tuple[LanguageGroup, ...]
    files: int


@dataclass(frozen=True)
class Failure:
    deliverable: str
    language: str
    format: str
    error: str  # the technical message, shown folded under the reason
    reason: str  # ``reason.KIND``: what went wrong, in the page's languages


#: Kinds of failure the page explains in Kyrgyz and Russian (the error classes of ``studio.errors``).
REASONS = ("SpecError", "LayoutError", "QRError", "VoiceError", "EncodeError", "RenderError", "LabelError")


def failure_reason(kind: str | None, error: str) -> str:
    """The phrase key for a failed job: a full disk, an error class the page knows, a bug, or "other"."""
    if "No space left on device" in error or "disk full" in error.lower():
        return "reason.disk_full"
    if kind in REASONS:
        return f"reason.{kind}"
    if kind == "internal" or "internal error" in error:
        return "reason.internal"
    return "reason.other"


def both(key: str, fallback: str | None = None) -> Markup:
    """A label in Kyrgyz, then in Russian (muted), for a page that every reviewer reads."""
    ky, ru = (text_or(lang, key, fallback if fallback is not None else key) for lang in REPORT_LANGUAGES)
    if ky == ru:
        return Markup("{}").format(ky)
    return Markup('<span lang="ky">{}</span> <span class="ru" lang="ru">/ {}</span>').format(ky, ru)


def both_filled(key: str, **values: object) -> Markup:
    """``both`` for a phrase with ``{placeholders}``."""
    ky, ru = (text(lang, key, **values) for lang in REPORT_LANGUAGES)
    return Markup('<span lang="ky">{}</span> <span class="ru" lang="ru">/ {}</span>').format(ky, ru)


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _format_order(name: str) -> int:
    names = list(FORMATS)
    return names.index(name) if name in names else len(names)


def _language_order(lang: str) -> tuple[int, str]:
    return (REPORT_LANGUAGES.index(lang) if lang in REPORT_LANGUAGES else len(REPORT_LANGUAGES), lang)


def _first(entries: Iterable[ManifestEntry], role: str) -> ManifestEntry | None:
    return next((e for e in entries if e.role == role), None)


def captions_path(video: ManifestEntry, entries: Iterable[ManifestEntry] = ()) -> str | None:
    """The WebVTT file of a video, relative to the quarter folder: named in its ``captions`` list (files
    beside it), else a captions entry of the same card."""
    folder = PurePosixPath(str(video.path)).parent
    for name in video.captions or ():
        if str(name).lower().endswith(".vtt"):
            return (folder / str(name)).as_posix()
    for entry in entries:
        if entry.role == "captions" and str(entry.path).lower().endswith(".vtt"):
            return str(entry.path)
    return None


def _track_src(path: str | None, captions: Mapping[str, str]) -> str | None:
    """The captions as a ``data:`` URL when their text was given, else a link to the file.

    Chromium refuses to load a ``<track>`` file into a page opened from disk (file: URLs are unique
    origins), and reviewers open ``index.html`` by double-clicking it; inline captions work both ways.
    """
    if path is None:
        return None
    if path in captions:
        return "data:text/vtt;charset=utf-8;base64," + base64.b64encode(captions[path].encode("utf-8")).decode()
    return relative_href(path)


def _num(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _mm(value: float) -> str:
    """Millimetres to a tenth, a whole number without its ",0"."""
    text = decimal_text(value)
    return text[:-2] if text.endswith(",0") else text


def preflight_rows(facts: Mapping[str, Any]) -> tuple[PreflightRow, ...]:
    """A print PDF's preflight summary, from the facts its render recorded in the manifest (no Ghostscript
    at gallery time): profile, trim and bleed, ink, smallest text, image resolution, QR reads. Labels in
    both languages; values are numbers and units, the same in both. A fact the entry lacks (a file
    rendered before it was recorded) leaves its row out."""
    from studio.press.profiles import PROFILES

    rows: list[PreflightRow] = []
    name = str(facts.get("profile") or "")
    profile = PROFILES.get(name)
    if profile is not None:
        ky, ru = (profile.description[lang] for lang in REPORT_LANGUAGES)
        value: Markup | str = Markup('<span lang="ky">{}</span> <span class="ru" lang="ru">/ {}</span>').format(ky, ru)
        rows.append(PreflightRow(both("preflight.profile"), value, None))
    elif name or facts.get("output_condition"):
        rows.append(PreflightRow(both("preflight.profile"), str(facts.get("output_condition") or name), None))
    trim = facts.get("trim_mm")
    bleed = _num(facts.get("bleed_mm"))
    if isinstance(trim, (list, tuple)) and len(trim) == 2 and all(_num(v) is not None for v in trim):
        size = f"{_mm(float(trim[0]))} × {_mm(float(trim[1]))} мм"
        rows.append(PreflightRow(both("preflight.trim"), size + (f" + {_mm(bleed)} мм" if bleed else ""), None))
    ink_max, ink_mean, limit = (_num(facts.get(k)) for k in ("ink_max_pct", "ink_mean_pct", "ink_limit_pct"))
    if ink_max is not None:
        ink = f"{ink_max:.0f} %" + (f" / {ink_mean:.0f} %" if ink_mean is not None else "")
        ok = None if limit is None else ink_max <= limit + 0.5  # separation's rounding, as the render allows
        rows.append(PreflightRow(both("preflight.ink"), ink + (f" (≤ {limit:.0f} %)" if limit else ""), ok))
    text_pt, text_mm = _num(facts.get("min_text_pt")), _num(facts.get("min_text_mm"))
    if text_pt:
        value = f"{decimal_text(text_pt)} pt" + (f" ({decimal_text(text_mm, 2)} мм)" if text_mm else "")
        ok = None if profile is None else text_pt + 0.05 >= profile.min_text_pt
        rows.append(PreflightRow(both("preflight.text"), value, ok))
    ppi = _num(facts.get("image_ppi"))
    if ppi:
        rows.append(PreflightRow(both("preflight.resolution"), f"{ppi:.0f} ppi", None))
    pages, sheets = _num(facts.get("pages")), _num(facts.get("sheets"))
    if pages and sheets:
        rows.append(PreflightRow(both("preflight.pages"), f"{pages:.0f} / {sheets:.0f}", None))
    reads = [facts[k] for k in ("qr_file_read", "qr_press_read", "qr_page_read") if isinstance(facts.get(k), bool)]
    if reads:
        passed = all(reads)
        # what was read: the file and the simulated press (CMYK), the file alone (RGB), the rendered page
        label = "preflight.qr" if "qr_press_read" in facts else "preflight.qr_file"
        label = "preflight.qr_page" if "qr_page_read" in facts else label
        detail = ", ".join(
            str(v) for v in (facts.get("qr_mm") and f"{_mm(float(facts['qr_mm']))} мм", facts.get("qr_press")) if v
        )
        verdict = both("preflight.pass" if passed else "preflight.fail")
        value = Markup("{} ({})").format(verdict, detail) if detail else verdict
        rows.append(PreflightRow(both(label), value, passed))
    return tuple(rows)


def _card(fmt: str, draft: bool, language: str, entries: Sequence[ManifestEntry], captions: Mapping[str, str]) -> Card:
    entries = sorted(entries, key=lambda e: (_ROLE_ORDER.index(e.role) if e.role in _ROLE_ORDER else 99, str(e.path)))
    still = _first(entries, "image") or _first(entries, "proof") or _first(entries, "preview")
    video = _first(entries, "video")
    audio = _first(entries, "audio")
    main = (
        video
        or audio
        or _first(entries, "image")
        or _first(entries, "print")
        or _first(entries, "reader")
        or entries[0]
    )
    width, height, dpi = _int(main.width_px), _int(main.height_px), main.dpi
    pixels = f"{width} × {height} px" if width and height else ""
    if pixels and isinstance(dpi, int) and dpi:
        pixels += f", {dpi} dpi"
    primary = [e for e in entries if e.role in FINAL_ROLES or e.role == "proof"] or list(entries)
    disclosure = dict.fromkeys(str(label) for e in entries for label in e.disclosure or ())
    duration = main.duration_s
    printed = next((e for e in entries if e.role == "print" and e.preflight), None)
    return Card(
        format=fmt,
        draft=draft,
        image=relative_href(str(still.path)) if still else None,
        image_px=(_int(still.width_px), _int(still.height_px)) if still else None,
        video=relative_href(str(video.path)) if video else None,
        video_px=(_int(video.width_px), _int(video.height_px)) if video else None,
        track=_track_src(captions_path(video, entries), captions) if video else None,
        language=language,
        language_name=" / ".join(dict.fromkeys(text_or(lg, f"lang.{language}", language) for lg in REPORT_LANGUAGES)),
        files=tuple(
            FileLink(
                PurePosixPath(str(e.path)).name,
                relative_href(str(e.path)),
                e.role,
                size_text(_int(e.bytes)),
            )
            for e in entries
        ),
        pixels=pixels,
        qr_url=main.qr_url or None,
        qr_href=external_href(main.qr_url),
        synthetic=any(bool(e.synthetic) for e in primary),
        disclosure=tuple(disclosure),
        voice_engine=next((str(e.voice_engine) for e in entries if e.voice_engine), None),
        duration=f"{decimal_text(float(duration))} сек" if isinstance(duration, (int, float)) and duration else None,
        size=size_text(sum(_int(e.bytes) for e in entries)),
        notices=tuple(dict.fromkeys(str(n) for e in entries for n in e.notices or ())),
        incomplete=any(e.incomplete for e in entries),
        audio=relative_href(audio.path) if audio else None,
        preflight=preflight_rows(printed.preflight or {}) if printed else (),
        preflight_file=PurePosixPath(str(printed.path)).name if printed else None,
    )


def _groups(renders: Sequence[ManifestEntry], captions: Mapping[str, str]) -> tuple[DeliverableGroup, ...]:
    by_card: dict[tuple[str, str, str, bool], list[ManifestEntry]] = defaultdict(list)
    kinds: dict[str, set[str]] = defaultdict(set)
    for entry in renders:
        key = (str(entry.deliverable), str(entry.language), str(entry.format), entry.draft)
        by_card[key].append(entry)
        if entry.kind:
            kinds[key[0]].add(str(entry.kind))

    def deliverable_order(name: str) -> tuple[int, str]:
        first_kind = min((_KIND_ORDER.index(k) for k in kinds[name] if k in _KIND_ORDER), default=len(_KIND_ORDER))
        return (first_kind, name)

    groups = []
    for i, name in enumerate(sorted({key[0] for key in by_card}, key=deliverable_order), start=1):
        languages = sorted({key[1] for key in by_card if key[0] == name}, key=_language_order)
        lang_groups = tuple(
            LanguageGroup(
                lang,
                tuple(
                    _card(fmt, draft, lang, by_card[(name, lang, fmt, draft)], captions)
                    for (_, _, fmt, draft) in sorted(
                        (key for key in by_card if key[:2] == (name, lang)),
                        key=lambda key: (_format_order(key[2]), key[2], key[3]),
                    )
                ),
            )
            for lang in languages
        )
        files = sum(len(by_card[key]) for key in by_card if key[0] == name)
        groups.append(DeliverableGroup(f"d{i}", name, tuple(sorted(kinds[name])), lang_groups, files))
    return tuple(groups)


def _failures(failures: Iterable[Mapping[str, Any]]) -> tuple[Failure, ...]:
    return tuple(
        Failure(
            deliverable=str(f.get("deliverable") or "?"),
            language=str(f.get("language") or "?"),
            format=str(f.get("format") or "?"),
            error=str(f.get("error") or "?"),
            reason=failure_reason(f.get("error_kind"), str(f.get("error") or "")),
        )
        for f in failures
    )


_GALLERY_HTML = """{% extends "page.html" %}
{% block title %}{{ title }}{% if quarter and quarter not in title %} — {{ quarter }}{% endif %}{% endblock %}
{% block style %}
nav ul { columns: 2 320px; padding-left: 20px; }
.deliverable { background: var(--paper); border: 1px solid var(--line); border-radius: 8px; padding: 4px 16px 12px;
               margin: 20px 0; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(280px, 1fr)); gap: 14px; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 10px; background: #fbfbfc; }
.card h4 { margin: 0 0 6px; font-size: 15px; }
.card img, .card video { display: block; width: 100%; height: auto; max-height: 360px; object-fit: contain;
                         background: #e9edf2; border-radius: 4px; }
.card dl { margin: 8px 0 0; font-size: 13px; }
.card dt { color: var(--muted); margin-top: 4px; }
.card dd { margin: 0; overflow-wrap: anywhere; }
.card ul { margin: 6px 0 0; padding-left: 18px; font-size: 13px; }
.badge { display: inline-block; border-radius: 4px; padding: 2px 8px; font-size: 13px; font-weight: bold;
         margin: 0 4px 4px 0; }
.badge.ai { background: var(--ai-bg); color: var(--ai); border: 1px solid var(--ai); }
.badge.draft { background: #e8e8e8; color: #333; border: 1px dashed #333; }
.badge.missing { background: var(--warn-bg); color: var(--warn); border: 1px solid var(--warn); }
.failures { background: var(--warn-bg); border: 2px solid var(--warn); border-radius: 8px; padding: 4px 16px; }
.preflight { margin-top: 8px; border-top: 1px solid var(--line); }
.preflight h5 { margin: 8px 0 0; font-size: 13px; }
.noimg { padding: 40px 8px; text-align: center; color: var(--muted); background: #e9edf2; border-radius: 4px; }
{% endblock %}
{% block body %}
<header>
<h1>{{ title }}</h1>
<p class="meta">{{ t("gallery") }} · {{ t("quarter") }}: <b>{{ quarter }}</b>
{% if campaign %} · {{ campaign }}{% endif %}</p>
{% if generated_at %}
<p class="meta">{{ t("generated_at") }}: {{ generated_at }}
{% if version %} · {{ t("studio_version") }}: {{ version }}{% endif %}</p>
{% endif %}
{% if placeholder_url %}
<p class="notice warn" role="alert">{{ placeholder }}</p>
{% endif %}
</header>

<h2>{{ t("summary") }}</h2>
<table>
<tr><th scope="row">{{ t("deliverable") }}</th><td class="num">{{ groups | length }}</td></tr>
<tr><th scope="row">{{ t("files") }}</th><td class="num">{{ file_count }}</td></tr>
{% for role, count in role_counts %}
<tr><th scope="row">{{ t("role." ~ role, role) }}</th><td class="num">{{ count }}</td></tr>
{% endfor %}
<tr><th scope="row">{{ t("synthetic") }}</th><td class="num">{{ synthetic_count }}</td></tr>
<tr><th scope="row">{{ t("failed_heading") }}</th>
<td class="num {{ 'warn' if failures else 'ok' }}">{{ failures | length }}</td></tr>
</table>

<section id="failures" {% if failures %}class="failures"{% endif %}>
<h2>{{ t("failed_heading") }}</h2>
{% if failures %}
<table>
<thead><tr><th scope="col">{{ t("deliverable") }}</th><th scope="col">{{ t("language") }}</th>
<th scope="col">{{ t("format") }}</th><th scope="col">{{ t("reason") }}</th></tr></thead>
<tbody>
{% for f in failures %}
<tr><td>{{ f.deliverable }}</td><td>{{ t("lang." ~ f.language, f.language) }}</td><td>{{ f.format }}</td>
<td class="warn">{{ t(f.reason) }}
<details class="detail"><summary>{{ t("technical") }}</summary><code>{{ f.error }}</code></details></td></tr>
{% endfor %}
</tbody>
</table>
{% else %}
<p class="ok">{{ t("failed_none") }}</p>
{% endif %}
</section>

{% if groups %}
<nav>
<h2>{{ t("contents") }}</h2>
<ul>
{% for g in groups %}<li><a href="#{{ g.anchor }}">{{ g.deliverable }}</a>
 ({% for k in g.kinds %}{{ t("kind." ~ k, k) }}{% if not loop.last %}, {% endif %}{% endfor %}; {{ g.files }})</li>
{% endfor %}
</ul>
</nav>
{% endif %}

{% for g in groups %}
<section class="deliverable" id="{{ g.anchor }}">
<h2>{{ g.deliverable }}
 <span class="ru">({% for k in g.kinds %}{{ t("kind." ~ k, k) }}{% if not loop.last %}, {% endif %}{% endfor %})
 </span></h2>
{% for lg in g.languages %}
<h3>{{ t("language") }}: {{ t("lang." ~ lg.language, lg.language) }} ({{ lg.language }})</h3>
<div class="cards">
{% for c in lg.cards %}
<article class="card">
<h4>{{ c.format }}{% if c.pixels %} <span class="ru">· {{ c.pixels }}</span>{% endif %}</h4>
{% if c.draft %}<span class="badge draft">{{ t("draft") }}</span>{% endif %}
{% if c.incomplete %}<span class="badge missing">{{ t("incomplete") }}</span>{% endif %}
{% if c.synthetic %}
<span class="badge ai" title="{{ c.disclosure | join(', ') }}">{{ t("synthetic") }}</span>
{% if not c.disclosure %}<span class="badge missing">{{ t("disclosure_missing") }}</span>{% endif %}
{% endif %}
{% if c.video %}
<video controls preload="metadata" src="{{ c.video }}"
{% if c.video_px and c.video_px[0] %} width="{{ c.video_px[0] }}" height="{{ c.video_px[1] }}"{% endif %}>
{% if c.track %}
<track kind="captions" srclang="{{ c.language }}" label="{{ c.language_name }}" src="{{ c.track }}" default>
{% endif %}
</video>
{% elif c.audio %}
<audio controls preload="metadata" src="{{ c.audio }}"></audio>
{% elif c.image %}
<a href="{{ c.image }}"><img loading="lazy" src="{{ c.image }}" alt="{{ c.format }}"
{% if c.image_px and c.image_px[0] %} width="{{ c.image_px[0] }}" height="{{ c.image_px[1] }}"{% endif %}></a>
{% else %}
<div class="noimg">{{ t("no_preview") }}</div>
{% endif %}
<dl>
{% if c.synthetic %}
<dt>{{ t("disclosure") }}</dt>
<dd>{% for label in c.disclosure %}{{ t("disclosure." ~ label, label) }}{% if not loop.last %}; {% endif %}
{% else %}<span class="warn">{{ t("disclosure_missing") }}</span>{% endfor %}</dd>
{% endif %}
{% if c.voice_engine %}<dt>{{ t("voice_engine") }}</dt><dd>{{ c.voice_engine }}</dd>{% endif %}
{% if c.duration %}<dt>{{ t("duration") }}</dt><dd>{{ c.duration }}</dd>{% endif %}
<dt>{{ t("size") }}</dt><dd>{{ c.size }}</dd>
{% if c.qr_url %}<dt>{{ t("qr_url") }}</dt>
<dd>{% if c.qr_href %}<a href="{{ c.qr_href }}" rel="noopener noreferrer"><code>{{ c.qr_url }}</code></a>
{% else %}<code>{{ c.qr_url }}</code>{% endif %}</dd>{% endif %}
{% if c.notices %}
<dt>{{ t("notices") }}</dt>
<dd class="warn">{% for n in c.notices %}{{ n }}{% if not loop.last %}<br>{% endif %}{% endfor %}</dd>
{% endif %}
</dl>
<ul>
{% for f in c.files %}
<li>{% if f.href %}<a href="{{ f.href }}">{{ f.name }}</a>
{% else %}<code>{{ f.name }}</code> <span class="warn">({{ t("unsafe_path") }})</span>{% endif %}
 — {{ t("role." ~ f.role, f.role) }}, {{ f.size }}</li>
{% endfor %}
</ul>
{% if c.preflight %}
<section class="preflight">
<h5>{{ t("preflight") }}: <code>{{ c.preflight_file }}</code></h5>
<dl>
{% for row in c.preflight %}
<dt>{{ row.label }}</dt>
<dd{% if row.ok is not none %} class="{{ 'ok' if row.ok else 'warn' }}"{% endif %}>
{% if row.ok is not none %}{{ '✓' if row.ok else '✗' }} {% endif %}{{ row.value }}</dd>
{% endfor %}
</dl>
</section>
{% endif %}
</article>
{% endfor %}
</div>
{% endfor %}
</section>
{% endfor %}
{% endblock %}
"""


def build_gallery(
    manifest: Manifest,
    failures: Sequence[Mapping[str, Any]],
    title: str,
    captions: Mapping[str, str] | None = None,
    placeholder_url: str | None = None,
) -> str:
    """The review page of one quarter: what failed, then every render grouped by deliverable and language.

    ``manifest`` is the parsed ``manifest.json``; ``failures`` lists the jobs that failed as
    ``{"deliverable", "language", "format", "error"}``. The page is meant to be saved as ``index.html``
    in the quarter's folder, beside the manifest, since its links are relative to that folder.
    ``captions`` maps a WebVTT path (relative to the folder) to its text, to inline it in the page so the
    captions also show when the page is opened from disk; without it the page links the files.
    ``placeholder_url``: the reporting link while it is still a sample, announced at the top of the page.
    """
    renders = manifest.renders
    groups = _groups(renders, captions or {})
    roles: dict[str, int] = defaultdict(int)
    for entry in renders:
        roles[str(entry.role)] += 1
    role_counts = sorted(
        roles.items(), key=lambda item: (_ROLE_ORDER.index(item[0]) if item[0] in _ROLE_ORDER else 99, item[0])
    )
    return template(_GALLERY_HTML).render(
        lang="ky",  # Kyrgyz first, each label followed by its Russian
        t=both,
        title=title,
        quarter=manifest.quarter,
        campaign=manifest.campaign,
        generated_at=manifest.generated_at,
        version=manifest.studio_version,
        groups=groups,
        file_count=len(renders),
        role_counts=role_counts,
        synthetic_count=sum(1 for g in groups for lg in g.languages for c in lg.cards if c.synthetic),
        failures=_failures(failures),
        placeholder_url=placeholder_url,
        placeholder=both_filled("placeholder", url=placeholder_url) if placeholder_url else "",
    )


def read_captions(quarter_dir: Path, manifest: Manifest) -> dict[str, str]:
    """The WebVTT text of every video in ``manifest`` whose captions file is in ``quarter_dir``, by path."""
    texts: dict[str, str] = {}
    for entry in manifest.renders:
        path = captions_path(entry) if entry.role == "video" else None
        if path is None or relative_href(path) is None:
            continue
        try:
            texts[path] = (quarter_dir / path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # the page then links the file, and the browser shows what is wrong with it
    return texts


def write_gallery(
    quarter_dir: Path,
    manifest: Manifest,
    failures: Sequence[Mapping[str, Any]],
    title: str,
    placeholder_url: str | None = None,
) -> Path:
    """Build the gallery, captions inlined, and write it atomically as ``index.html`` in ``quarter_dir``."""
    path = quarter_dir / GALLERY_NAME
    page = build_gallery(manifest, failures, title, read_captions(quarter_dir, manifest), placeholder_url)
    write_atomic(path, page.encode("utf-8"))
    return path
