"""The Typst document of a booklet, leaflet or infographic: settings, words and blocks. Pure.

Charts are drawn by a callback (``chart_svg``) so this module stays free of matplotlib; pictures and
icons are referenced by their path inside the project folder, which is the page engine's root.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from studio.campaign.models import Background, Campaign, Deliverable
from studio.charts.data import ChartSpec, Table, chart_from_block
from studio.colors import RGB
from studio.errors import SpecError
from studio.pages import content as c
from studio.pages.design import HYPHENATE, PageDesign
from studio.pages.typst_source import Raw, color, mm, pt, string, value
from studio.qr import QRMatrix

#: Words the pages print around the content, per language.
WORDS: dict[str, dict[str, str]] = {
    "ky": {
        "contents": "Мазмуну",
        "notes": "Эскертмелер үчүн",
        "back_lead": "Сизден пара сурашса же акысыз кызмат үчүн акы талап кылышса, кабарлаңыз. "
        "Кайрылууңуз купуя сакталат.",
        "online": "Онлайн кайрылуу",
        "hotline": "Ишеним телефону",
        "in_person": "Жеке кайрылуу",
        "imprint": "Акысыз таратылат.",
        "qr_alt": "Кабарлоо үчүн QR-код: ",
    },
    "ru": {
        "contents": "Содержание",
        "notes": "Для заметок",
        "back_lead": "Если у вас вымогают взятку или требуют плату за бесплатную услугу, сообщите об этом. "
        "Ваше обращение останется конфиденциальным.",
        "online": "Онлайн-обращение",
        "hotline": "Телефон доверия",
        "in_person": "Лично",
        "imprint": "Распространяется бесплатно.",
        "qr_alt": "QR-код для сообщения: ",
    },
    "en": {
        "contents": "Contents",
        "notes": "Notes",
        "back_lead": "If you are asked for a bribe or charged for a free service, report it. "
        "Your report stays confidential.",
        "online": "Online",
        "hotline": "Hotline",
        "in_person": "In person",
        "imprint": "Distributed free of charge.",
        "qr_alt": "QR code for reporting: ",
    },
}

ChartDrawer = Callable[[ChartSpec, float, float], str]  # (chart, width, height in points) → SVG


@dataclass(frozen=True)
class PageJob:
    """Everything one page document needs."""

    campaign: Campaign
    deliverable: Deliverable
    language: str
    design: PageDesign
    content: c.Content
    tables: dict[str, Table]
    qr: QRMatrix
    synthetic: bool
    year: int
    #: Other content files a booklet embeds (``::: infographic NAME``), by name.
    embedded: dict[str, c.Content]


def library() -> str:
    return resources.files("studio.pages").joinpath("taza.typ").read_text(encoding="utf-8")


def qr_svg(matrix: QRMatrix, quiet: int = 4) -> str:
    """The QR code as SVG: one path of dark squares on a light square, crisp at any size."""
    n = matrix.size + 2 * quiet
    parts = []
    for y, row in enumerate(matrix.rows):
        for x, dark in enumerate(row):
            if dark:
                parts.append(f"M{x + quiet} {y + quiet}h1v1h-1z")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {n} {n}" shape-rendering="crispEdges">'
        f'<rect width="{n}" height="{n}" fill="#FFFFFF"/><path fill="#000000" d="{"".join(parts)}"/></svg>'
    )


def icon_svg(root: Path, name: str | None, rgb: RGB, where: str) -> str | None:
    if not name:
        return None
    path = root / "assets" / "icons" / f"{name}.svg"
    if not path.is_file():
        known = sorted(p.stem for p in (root / "assets" / "icons").glob("*.svg"))
        raise SpecError(f'{where}: unknown icon "{name}"; known: {", ".join(known)}')
    return path.read_text(encoding="utf-8").replace("#000000", "#{:02X}{:02X}{:02X}".format(*rgb))


def _fill(background: Background, campaign: Campaign, root: Path) -> Raw:
    brand = campaign.brand
    if background.gradient is not None:
        a, b = (color(brand.color(x)).code for x in background.gradient)
        # Typst measures the angle clockwise from the right; the campaign file's from the top, like CSS.
        return Raw(
            f"rect(width: 100%, height: 100%, fill: gradient.linear({a}, {b}, angle: {background.angle_deg - 90}deg))"
        )
    if background.image is not None:
        rel = "/" + background.image.relative_to(root).as_posix()
        scrim = round(background.scrim * 255)
        return Raw(
            f'{{ pdf.artifact(image({string(rel)}, width: 100%, height: 100%, fit: "cover")); '
            f"place(top + left, rect(width: 100%, height: 100%, fill: rgb(0, 0, 0, {scrim}))) }}"
        )
    return Raw(f"rect(width: 100%, height: 100%, fill: {color(brand.color(background.color or 'dark')).code})")


def _paint(background: Background, campaign: Campaign) -> Raw:
    """The background as a fill (a gradient or a colour; a photo background paints its dark colour)."""
    brand = campaign.brand
    if background.gradient is not None:
        a, b = (color(brand.color(x)).code for x in background.gradient)
        return Raw(f"gradient.linear({a}, {b}, angle: {background.angle_deg - 90}deg)")
    return color(brand.color(background.color or "dark"))


def _mix(a: RGB, b: RGB, t: float) -> RGB:
    return (round(a[0] + (b[0] - a[0]) * t), round(a[1] + (b[1] - a[1]) * t), round(a[2] + (b[2] - a[2]) * t))


def base_config(job: PageJob) -> dict[str, object]:
    campaign, d, lang = job.campaign, job.deliverable, job.language
    brand = campaign.brand
    words = WORDS.get(lang, WORDS["en"])
    copy = d.text[lang]
    background = d.background or Background(color="dark", scrim=0.45)  # drawn kinds always have one
    white: RGB = (255, 255, 255)
    ink: RGB = (0x1E, 0x24, 0x2C)
    reporting = campaign.reporting
    return {
        "lang": lang,
        "hyphenate": HYPHENATE.get(lang, False),
        "justify": job.design.align == "justify"
        and (HYPHENATE.get(lang, False) or job.design.align_unhyphenated == "justify"),
        "font": _family(brand.fonts["body"]),
        "title": copy.headline,
        "subtitle": copy.body,
        "kicker": campaign.title[lang],
        "organisation": campaign.organisation[lang],
        "keywords": [t.lstrip("#") for t in d.hashtags],
        "hashtags": list(d.hashtags),
        "running": copy.headline,
        "primary": color(brand.colors["primary"]),
        "dark": color(brand.colors["dark"]),
        "accent": color(brand.colors["accent"]),
        "light": color(brand.colors["light"]),
        "ink": color(ink),
        "muted": color(_mix(ink, white, 0.45)),
        "paper": color(white),
        "tint": color(_mix(brand.colors["primary"], white, 0.9)),
        "warn": color((0xB4, 0x23, 0x18)),
        "warn-tint": color((0xFB, 0xEC, 0xEA)),
        "cover-fill": _fill(background, campaign, campaign.root),
        "cover-paint": _paint(background, campaign),
        "logo": "/" + brand.logo.relative_to(campaign.root).as_posix() if brand.logo else None,
        "qr-svg": qr_svg(job.qr),
        "qr-alt": words["qr_alt"] + job.qr.data,
        "cta": (copy.call_to_action or reporting.call_to_action[lang]),
        "short-text": reporting.short_text,
        "phone": reporting.phone,
        "badge": _badge() if job.synthetic else None,
        "icon-yes": icon_svg(campaign.root, "check", brand.colors["primary"], "icons"),
        "icon-no": icon_svg(campaign.root, "cross", (0xB4, 0x23, 0x18), "icons"),
        "contents-title": words["contents"],
        "notes-title": words["notes"],
        "notes-lines": job.design.notes_lines,
        "back-title": reporting.call_to_action[lang],
        "back-lead": words["back_lead"],
        "imprint": f"© {campaign.organisation[lang]}, {job.year}. {words['imprint']}",
        "cover-art": _cover_art(campaign.root, brand.colors["light"]),
    }


def _cover_art(root: Path, rgb: RGB) -> str | None:
    svg = icon_svg(root, "shield", rgb, "icons")
    return None if svg is None else svg.replace("<svg ", '<svg opacity="0.13" ', 1)


def _badge() -> str:
    from studio.disclosure import BADGE_TEXT

    return BADGE_TEXT


def _family(font: Path) -> str:
    from studio.charts.render import font_family

    return font_family(font)


# ---------------------------------------------------------------- blocks


def display_text(text: str) -> Raw:
    """Short display text (a step, a key number's label) as Typst content in which a hyphenated word
    ("QR-код", "аты-жөнү") never breaks at its hyphen: such a word is set in an unbreakable box."""
    parts = []
    for word in text.split(" "):
        inner = string(word)
        parts.append(f"#box({inner})" if "-" in word.strip("-") else f"#{inner}")
    return Raw("[" + '#" "'.join(parts) + "]")


def _runs(runs: tuple[c.Run, ...]) -> str:
    return "".join(f"#strong({string(r.text)})" if r.bold else f"#{string(r.text)}" for r in runs)


class BlockWriter:
    """Turns content blocks into Typst, with a fit marker after each."""

    def __init__(self, job: PageJob, chart_svg: ChartDrawer, text_width_pt: float, chart_max_h_pt: float) -> None:
        self.job = job
        self.chart_svg = chart_svg
        self.width = text_width_pt
        self.chart_max_h = chart_max_h_pt
        self.root = job.campaign.root
        self.blocks: list[tuple[c.Content, c.Block]] = []  # by marker number

    def _icon(self, name: str | None, content: c.Content, line: int, rgb: RGB | None = None) -> str | None:
        brand = self.job.campaign.brand
        return icon_svg(self.root, name, rgb or brand.colors["primary"], f"{content.display}:{line}")

    def write(self, content: c.Content, framed: bool = False, spread: bool = False) -> str:
        """The blocks as Typst; ``spread`` shares the page's free height out between them (one-page sheets)."""
        out: list[str] = []
        for block in content.blocks:
            code = self.block(content, block)
            if code is None:
                continue
            i = len(self.blocks)
            self.blocks.append((content, block))
            out.append(code if framed else f"{code}\n#mark({i})\n")
        return ("\n#v(1fr)\n" if spread else "\n").join(out)

    def block(self, content: c.Content, b: c.Block) -> str | None:
        brand = self.job.campaign.brand
        match b:
            case c.Heading(level=level, text=text):
                return f"#heading(level: {level}, {string(text)})"
            case c.Paragraph(runs=runs):
                return f"#par[{_runs(runs)}]"
            case c.ListBlock(items=items, ordered=ordered):
                listed = ", ".join(f"[{_runs(item)}]" for item in items)
                return f"#kept-list({'true' if ordered else 'false'}, ({listed},))"
            case c.Quote(text=text, who=who):
                return f"#pull-quote(cfg, {string(text)}, {value(who)})"
            case c.Picture(path=path, alt=alt, caption=caption):
                file = (self.root / path).resolve()
                if not file.is_relative_to(self.root.resolve()):
                    raise SpecError(f'{content.display}:{b.line}: picture "{path}" is outside the project folder')
                if not file.is_file():
                    raise SpecError(f'{content.display}:{b.line}: picture "{path}" not found (looked for {file})')
                rel = "/" + file.relative_to(self.root.resolve()).as_posix()
                return f"#picture({string(rel)}, {string(alt)}, {value(caption)})"
            case c.PageBreak():
                return "#pagebreak(weak: true)"
            case c.Stats(items=items):
                stats = [
                    {"value": s.value, "label": display_text(s.label), "icon": self._icon(s.icon, content, b.line)}
                    for s in items
                ]
                return f"#stats(cfg, {value(stats)})"
            case c.Steps(items=items):
                light = brand.colors["light"]
                steps = [
                    {"icon": self._icon(s.icon, content, b.line, light), "text": display_text(s.text)} for s in items
                ]
                return f"#steps(cfg, {value(steps)})"
            case c.Compare(columns=columns):
                cols = [{"heading": h, "items": list(items)} for h, items in columns]
                return f"#compare(cfg, {value(cols)})"
            case c.Sources(text=text):
                return f"#sources(cfg, {string(text)})"
            case c.ChartBlock(type=chart_type, fields=fields):
                spec = chart_from_block(chart_type, fields, self.job.tables, self.job.language, content.display, b.line)
                width = self.width * (0.85 if chart_type == "pie" else 1.0)
                height = min(width * (0.5 if chart_type == "pie" else 0.58), self.chart_max_h)
                svg = self.chart_svg(spec, width, height)
                return f"#chart(cfg, {string(svg)}, {string(spec.alt_text())}, {string(spec.title)}, {pt(width).code})"
            case c.EmbedInfographic(name=name):
                embedded = self.job.embedded.get(name)
                if embedded is None:
                    raise SpecError(f'{content.display}:{b.line}: infographic "{name}" not found')
                inner = self.write(embedded, framed=True)
                return (
                    "#block(width: 100%, breakable: false, fill: cfg.tint, radius: 0.6em, inset: 0.9em, "
                    f"stroke: 0.6pt + cfg.primary)[\n{inner}\n]"
                )
        raise SpecError(f"{content.display}:{b.line}: this block cannot be placed here")


def document(job: PageJob, config: dict[str, object], body: str, entry: str) -> str:
    """The whole Typst source: the page library, ``cfg`` and the body wrapped by ``entry`` (booklet | infographic)."""
    return f"{library()}\n#let cfg = {value(config)}\n#show: {entry}.with(cfg)\n{body}\n"


def booklet_config(job: PageJob, size_mm: tuple[float, float], pages: int, bleed_mm: float, leaflet: bool) -> dict:
    cfg = base_config(job)
    design = job.design
    if leaflet:
        margin = {"top": mm(9), "bottom": mm(9), "inside": mm(8), "outside": mm(8)}
    else:
        margin = {"top": mm(14), "bottom": mm(17), "inside": mm(15), "outside": mm(13)}
    cfg.update(
        {
            "width": mm(size_mm[0]),
            "height": mm(size_mm[1]),
            "bleed": mm(bleed_mm),
            "margin": margin,
            "pages": pages,
            "body-size": pt(design.body_size_pt * (0.95 if leaflet else 1.0)),
            "cover-title-size": pt(design.cover_title_pt * (0.8 if leaflet else 1.0)),
            "contents": (not leaflet) and pages >= 12,
            "page-numbers": not leaflet,
            "qr-size": mm(28 if not leaflet else 26),
            "channels": _channels(job),
        }
    )
    return cfg


def _channels(job: PageJob) -> list[dict[str, object]]:
    words = WORDS.get(job.language, WORDS["en"])
    reporting = job.campaign.reporting
    light = job.campaign.brand.colors["accent"]
    root = job.campaign.root
    out: list[dict[str, object]] = [
        {"icon": icon_svg(root, "message", light, "icons"), "title": words["online"], "text": reporting.short_text}
    ]
    if reporting.phone:
        out.append(
            {"icon": icon_svg(root, "phone", light, "icons"), "title": words["hotline"], "text": reporting.phone}
        )
    out.append(
        {
            "icon": icon_svg(root, "office", light, "icons"),
            "title": words["in_person"],
            "text": job.campaign.organisation[job.language],
        }
    )
    return out


def infographic_config(
    job: PageJob, size_pt: tuple[float, float], screen: bool, bleed_mm: float, safe_pt: tuple[float, float] = (0, 0)
) -> dict:
    """``safe_pt``: what the platform covers at the top and bottom of a screen format (a story's bars)."""
    cfg = base_config(job)
    w, h = size_pt
    body = infographic_body_pt(w, screen)
    cfg.update(
        {
            "width": pt(w),
            "height": pt(h),
            "bleed": mm(bleed_mm),
            "pad": pt(w * 0.06),
            "safe-top": pt(safe_pt[0]),
            "safe-bottom": pt(safe_pt[1]),
            "title-size": pt(body * 1.9),
            "body-size": pt(body),
            "qr-size": pt(infographic_qr_pt(size_pt, screen)),
        }
    )
    return cfg


def infographic_body_pt(width_pt: float, screen: bool) -> float:
    """Body text size: about 2.6 % of a screen's width (readable on a phone), 1/46 of a print page's."""
    return width_pt / (38 if screen else 46)


def infographic_qr_pt(size_pt: tuple[float, float], screen: bool) -> float:
    """The QR code's width: 17 % of a screen's width (above the 16 % a phone needs to scan it off a screen);
    on paper 40 mm (A4) or 50 mm (A3), a tenth of the distance a wall sheet is scanned from."""
    if screen:
        return size_pt[0] * 0.17
    return (50 if size_pt[0] > 700 else 40) * 72 / 25.4
