"""Load-time checks of page deliverables: page design, content files, data tables, charts, pictures, icons,
glyphs and page counts — so ``studio validate`` finds them before anything renders."""

from __future__ import annotations

from studio.campaign.models import Campaign
from studio.charts.data import chart_from_block
from studio.errors import SpecError
from studio.fonts import missing_glyphs
from studio.formats import BOOKLET_PAGE_COUNTS, TRIFOLD_PAGES
from studio.pages import content as c

Problem = tuple[tuple[str | int, ...], str]


def check_pages(campaign: Campaign, index: int, folder: str) -> list[Problem]:
    from studio.campaign import display_path, load_page_design
    from studio.pages.render import content_path, load_tables

    d = campaign.deliverables[index]
    here: tuple[str | int, ...] = ("deliverables", index)
    problems: list[Problem] = []
    try:
        load_page_design(campaign.root, d.design)
    except SpecError as exc:
        problems.append((here + ("design",), str(exc)))
    if d.kind == "booklet":
        problems += _page_count(d.pages, d.formats, here)
    try:
        tables = load_tables(d)
    except SpecError as exc:
        return problems + [(here + ("data",), str(exc))]
    fonts = (campaign.brand.fonts["body"], campaign.brand.fonts["headline"])
    for lang in campaign.deliverable_languages(d):
        path = content_path(campaign, folder, d.content or "", lang)
        if not path.is_file():
            problems.append((here + ("content",), f'no {lang} content: "{display_path(path)}" not found'))
            continue
        try:
            files = [c.read_content(path, display_path(path))]
            for b in files[0].blocks:
                if isinstance(b, c.EmbedInfographic):
                    inner = content_path(campaign, "infographics", b.name, lang)
                    if not inner.is_file():
                        raise SpecError(
                            f'{files[0].display}:{b.line}: infographic "{b.name}" not found ({display_path(inner)})'
                        )
                    files.append(c.read_content(inner, display_path(inner)))
            for content in files:
                _blocks(campaign, content, tables, lang)
                for line, text in content.texts():
                    for font in fonts:
                        missing = missing_glyphs(font, text)
                        if missing:
                            chars = ", ".join(f'"{ch}" (U+{ord(ch):04X})' for ch in missing)
                            raise SpecError(
                                f"{content.display}:{line}: {chars} would print as a missing glyph: font "
                                f"{font.name} has no such character; fix the text or choose a font that has it"
                            )
        except SpecError as exc:
            problems.append((here + ("content",), str(exc)))
    return problems


def _page_count(pages: int | None, formats: tuple[str, ...], here: tuple[str | int, ...]) -> list[Problem]:
    if pages is None:
        return []
    loc = here + ("pages",)
    if "a5-booklet" in formats:
        if pages % 4:
            return [
                (
                    loc,
                    f"{pages} pages is not a multiple of 4: a saddle-stitched booklet is folded sheets of 4 pages "
                    f"each; choose {', '.join(map(str, BOOKLET_PAGE_COUNTS))}",
                )
            ]
        if pages not in BOOKLET_PAGE_COUNTS:
            return [(loc, f"{pages} pages: an A5 booklet has {', '.join(map(str, BOOKLET_PAGE_COUNTS))} pages")]
    elif pages != TRIFOLD_PAGES:
        return [(loc, f"a DL tri-fold leaflet has {TRIFOLD_PAGES} panels, not {pages}; leave pages out")]
    return []


def _blocks(campaign: Campaign, content: c.Content, tables: dict, lang: str) -> None:
    root = campaign.root
    icons = root / "assets" / "icons"
    for b in content.blocks:
        if isinstance(b, c.ChartBlock):
            chart_from_block(b.type, b.fields, tables, lang, content.display, b.line)
        elif isinstance(b, c.Picture):
            path = (root / b.path).resolve()
            if not path.is_relative_to(root.resolve()) or not path.is_file():
                raise SpecError(f'{content.display}:{b.line}: picture "{b.path}" not found (looked for {path})')
        elif isinstance(b, (c.Stats, c.Steps)):
            for item in b.items:
                if item.icon and not (icons / f"{item.icon}.svg").is_file():
                    known = ", ".join(sorted(p.stem for p in icons.glob("*.svg")))
                    raise SpecError(f'{content.display}:{b.line}: unknown icon "{item.icon}"; known: {known}')
