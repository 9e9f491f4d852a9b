"""Rendering booklets, leaflets and infographics: content → Typst → reader PDF, print PDF, PNG previews.

Every file is finished in memory — fit checked, QR decoded back from the rasterised page, XMP written,
signed when synthetic — before any is written, each atomically: a failing job leaves nothing half-done.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from studio.campaign import display_path
from studio.campaign.models import Campaign, Deliverable
from studio.charts.data import ChartSpec, Table, read_table
from studio.errors import RenderError, SpecError
from studio.files import write_atomic
from studio.formats import TRIFOLD_PAGES, Format, get_format
from studio.kinds.base import Output, RenderOptions
from studio.pages import content as c
from studio.pages import document as doc
from studio.pages import engine, impose
from studio.pages.design import PageDesign
from studio.plan import Job
from studio.qr import Placement, build_qr, tag_url

PT_PER_MM = 72 / 25.4
PREVIEW_PPI = 150  # gallery previews, and the raster every QR code is decoded from
SCREEN_PPI = 144  # social formats: the page is set at half a point per pixel
IPTC = "http://cv.iptc.org/newscodes/digitalsourcetype/"


# ---------------------------------------------------------------- inputs


def content_path(campaign: Campaign, folder: str, name: str, language: str) -> Path:
    return campaign.root / "templates" / folder / f"{name}.{language}.md"


def load_content(campaign: Campaign, folder: str, name: str, language: str) -> c.Content:
    path = content_path(campaign, folder, name, language)
    return c.read_content(path, display_path(path))


def load_design(campaign: Campaign, name: str) -> PageDesign:
    from studio.campaign import load_page_design

    return load_page_design(campaign.root, name)


def load_tables(deliverable: Deliverable) -> dict[str, Table]:
    return {name: read_table(path, display_path(path)) for name, path in deliverable.data.items()}


def embedded_infographics(campaign: Campaign, content: c.Content, language: str) -> dict[str, c.Content]:
    found = {}
    for b in content.blocks:
        if isinstance(b, c.EmbedInfographic):
            path = content_path(campaign, "infographics", b.name, language)
            if not path.is_file():
                raise SpecError(f'{content.display}:{b.line}: infographic "{b.name}" not found ({display_path(path)})')
            found[b.name] = c.read_content(path, display_path(path))
    return found


def fonts(campaign: Campaign) -> tuple[Path, Path]:
    return (campaign.brand.fonts["body"], campaign.brand.fonts["headline"])


def chart_drawer(campaign: Campaign, text_pt: float) -> doc.ChartDrawer:
    from studio.charts.render import render_chart_svg

    brand = campaign.brand.colors
    palette = (brand["primary"], brand["accent"], brand["dark"], (0x5B, 0x9B, 0xD5), (0x8A, 0x94, 0xA6))
    ink = (0x1E, 0x24, 0x2C)

    def draw(spec: ChartSpec, width_pt: float, height_pt: float) -> str:
        return render_chart_svg(spec, (width_pt, height_pt), fonts(campaign), palette, ink, text_pt * 0.85)

    return draw


def page_job(campaign: Campaign, job: Job, folder: str, embedded_ok: bool) -> doc.PageJob:
    d = campaign.deliverable(job.deliverable)
    assert d.content is not None
    content = load_content(campaign, folder, d.content, job.language)
    target = d.link.url if d.link else campaign.reporting.url  # a deliverable may send its code elsewhere
    url = tag_url(target, Placement(job.deliverable, job.format, job.language, str(job.quarter)))
    return doc.PageJob(
        campaign=campaign,
        deliverable=d,
        language=job.language,
        design=load_design(campaign, d.design),
        content=content,
        tables=load_tables(d),
        qr=build_qr(url, campaign.qr.error_correction),
        synthetic=d.is_synthetic,
        year=job.quarter.year,
        embedded=embedded_infographics(campaign, content, job.language) if embedded_ok else {},
    )


# ---------------------------------------------------------------- checks


def check_fit(marks: list[engine.Mark], writer: doc.BlockWriter, last_page: int, page_h_pt: float, what: str) -> None:
    """Every block must end on or before ``last_page``; otherwise name the first that does not, and by how much."""
    over = [m for m in marks if m.page > last_page]
    if not over:
        return
    end = max(marks, key=lambda m: (m.page, m.y_pt))
    amount = end.page - last_page - 1 + end.y_pt / page_h_pt
    first = next((m for m in marks if m.page > last_page and m.block >= 0), None)
    if first is not None:
        content, block = writer.blocks[first.block]
        where = f"{content.display}:{block.line}: {_block_name(block)}"
    else:
        where = "the QR reporting block at the foot"
    raise RenderError(
        f"{where} does not fit: the content runs {amount:.1f} page{'s' if amount >= 1.05 else ''} over {what}; "
        "shorten the text, or choose more pages or a larger format"
    )


def _block_name(block: c.Block) -> str:
    names = {
        c.Heading: "heading",
        c.Paragraph: "paragraph",
        c.ListBlock: "list",
        c.Quote: "pull quote",
        c.Picture: "picture",
        c.Stats: "::: stats",
        c.Steps: "::: steps",
        c.ChartBlock: "::: chart",
        c.Compare: "::: compare",
        c.Sources: "::: sources",
        c.EmbedInfographic: "::: infographic",
        c.PageBreak: "page break",
    }
    return names.get(type(block), "block")


def check_qr(png: bytes, url: str, qr_mm: float, ppi: float, modules: int, where: str) -> None:
    from studio.stills.qrcheck import check_qr_bytes

    width_px = round(qr_mm / 25.4 * ppi)
    check_qr_bytes(png, url, width_px, max(1, width_px // (modules + 8)), where)


# ---------------------------------------------------------------- labels and writing


def xmp_packet(title: str, synthetic: bool) -> bytes:
    from studio.disclosure import BADGE_TEXT
    from studio.kinds.marks import software_agent
    from studio.label import build_xmp_packet

    if synthetic:
        return build_xmp_packet(
            IPTC + "compositeWithTrainedAlgorithmicMedia", BADGE_TEXT, software_agent(), (("ky", BADGE_TEXT),)
        )
    # Designed by people with digital tools, from their own words and data.
    return build_xmp_packet(IPTC + "digitalCreation", title, software_agent())


@dataclass
class Pending:
    path: Path
    data: bytes
    out: Output


def finish(pending: list[Pending], job: Job, synthetic: bool, options: RenderOptions, title: str) -> list[Output]:
    """XMP on every PDF; when synthetic, XMP and a signed C2PA manifest on every file; then write them all."""
    from studio.kinds.marks import STILL_DISCLOSURE, signing_keys, synthetic_label
    from studio.label import embed_xmp, mark_synthetic_bytes

    done = []
    for item in pending:
        data, out = item.data, item.out
        if synthetic:
            label = synthetic_label(f"{job.deliverable} ({job.language}, {job.format}, {out.role})")
            data = mark_synthetic_bytes(data, out.media_type, label, signing_keys(options.keys_dir))
            out = replace(out, extra={**out.extra, "synthetic": True, "disclosure": list(STILL_DISCLOSURE)})
        elif out.media_type == "application/pdf":
            data = embed_xmp(data, xmp_packet(title, False), out.media_type)
        done.append(Pending(item.path, data, out))
    outputs = []
    for item in done:
        write_atomic(item.path, item.data)
        outputs.append(replace(item.out, sha256=hashlib.sha256(item.data).hexdigest(), bytes=len(item.data)))
    return outputs


def set_print_boxes(pdf: bytes, sides: tuple[impose.Side, ...], height_mm: float, bleed_mm: float) -> bytes:
    """TrimBox and BleedBox on every imposed sheet, so a print shop's software finds the cut."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as document:
        for page, side in zip(document.pages, sides, strict=True):
            x0, y0, x1, y1 = (v * PT_PER_MM for v in impose.trim_box_mm(side, height_mm, bleed_mm))
            _, sheet_h = impose.sheet_size_mm(side, height_mm, bleed_mm)
            h = sheet_h * PT_PER_MM
            b = bleed_mm * PT_PER_MM
            page.obj["/TrimBox"] = pikepdf.Array([x0, h - y1, x1, h - y0])
            page.obj["/BleedBox"] = pikepdf.Array([x0 - b, h - y1 - b, x1 + b, h - y0 + b])
        out = io.BytesIO()
        document.save(out, deterministic_id=True)
    return out.getvalue()


def quarter_day(job: Job) -> dt.date:
    """The date a page file carries: its quarter's first day, so the same inputs give the same bytes."""
    return job.quarter.first_day


# ---------------------------------------------------------------- booklets


def booklet_geometry(fmt: Format, deliverable: Deliverable) -> tuple[tuple[float, float], int, bool]:
    """(page size in mm, page count, is a tri-fold)."""
    if fmt.name == "dl-trifold":
        return (impose.TRIFOLD_PANEL_MM, fmt.trim_mm[1]), TRIFOLD_PAGES, True
    return fmt.trim_mm, deliverable.pages or 8, False


def check_page_fit(campaign: Campaign, job: Job) -> None:
    """Typeset ``job`` far enough to know that its content fits (``studio validate``); raises if not."""
    if campaign.deliverable(job.deliverable).kind == "booklet":
        _booklet_sources(campaign, job)
    else:
        _infographic_sources(campaign, job)


def _booklet_sources(
    campaign: Campaign, job: Job
) -> tuple[doc.PageJob, Callable[[float], str], tuple[float, float], int, bool]:
    """The fitted booklet: its page job, its source for a bleed, page size, page count, tri-fold or not."""
    fmt = get_format(job.format)
    pj = page_job(campaign, job, "booklets", embedded_ok=True)
    size, pages, leaflet = booklet_geometry(fmt, pj.deliverable)
    root, font_files = campaign.root, fonts(campaign)
    margin = 16 if leaflet else 28
    text_w = (size[0] - margin) * PT_PER_MM
    writer = doc.BlockWriter(pj, chart_drawer(campaign, pj.design.body_size_pt), text_w, text_w * 0.58)
    body = writer.write(pj.content)

    def source(bleed: float) -> str:
        return doc.document(pj, doc.booklet_config(pj, size, pages, bleed, leaflet), body, "booklet")

    reader_src = source(0.0)
    where = job.label
    marks = engine.block_marks(reader_src, root, font_files, where)
    free = pages - 2 - (1 if not leaflet and pages >= 12 else 0)  # less the covers and the contents page
    what = f"the {pages}-page {'leaflet' if leaflet else 'booklet'} ({free} pages for content)"
    check_fit(marks, writer, pages - 1, size[1] * PT_PER_MM, what)
    return pj, source, size, pages, leaflet


def render_booklet(campaign: Campaign, job: Job, quarter_dir: Path, options: RenderOptions) -> list[Output]:
    fmt = get_format(job.format)
    pj, source, size, pages, leaflet = _booklet_sources(campaign, job)
    root, font_files = campaign.root, fonts(campaign)
    when = quarter_day(job)
    where = job.label
    reader_src = source(0.0)
    reader = engine.compile_pdf(reader_src, root, font_files, when, where)
    previews = engine.compile_png(reader_src, root, font_files, PREVIEW_PPI, where)
    if len(previews) != pages:
        raise RenderError(f"{where}: typeset {len(previews)} pages, expected {pages}")
    back = TRIFOLD_PAGES if leaflet else pages
    qr_mm = 26 if leaflet else 28
    check_qr(previews[back - 1], pj.qr.data, qr_mm, PREVIEW_PPI, pj.qr.size, f"{where} back cover (page {back})")

    bleed = fmt.bleed_mm
    print_pages = engine.compile_pdf(source(bleed), root, font_files, when, where, tagged=False)
    sides = impose.trifold() if leaflet else impose.saddle_stitch(pages, size[0])
    label = f"{campaign.id} / {job.deliverable} / {job.language} / {job.format} / {job.quarter}"
    imposed_src = impose.impose_source(sides, "pages.pdf", size[0], size[1], bleed, label)
    imposed = engine.compile_in_folder(imposed_src, {"pages.pdf": print_pages}, font_files, when, where)
    imposed = set_print_boxes(imposed, sides, size[1], bleed)

    folder = quarter_dir / job.folder
    url = pj.qr.data
    w_px, h_px = _px(size, PREVIEW_PPI)
    sheets = len(sides) // 2 if not leaflet else 1
    pending = [
        Pending(
            folder / f"{job.format}.pdf",
            reader,
            Output(
                folder / f"{job.format}.pdf", "reader", "application/pdf", w_px, h_px, None, url, extra={"pages": pages}
            ),
        ),
        Pending(
            folder / f"{job.format}.print.pdf",
            imposed,
            Output(
                folder / f"{job.format}.print.pdf",
                "print",
                "application/pdf",
                w_px,
                h_px,
                None,
                url,
                extra={
                    "pages": pages,
                    "sheets": sheets,
                    "imposition": "tri-fold" if leaflet else "saddle-stitch",
                    # the gallery's preflight summary: a vector PDF (no image resolution, no inks to count)
                    "preflight": {
                        "trim_mm": [round(v, 1) for v in size],  # a page, as the reader holds it
                        "bleed_mm": bleed,
                        "pages": pages,
                        "sheets": sheets,
                        "qr_page_read": True,  # read on the back cover above, or the render stopped
                        "qr_mm": qr_mm,
                    },
                },
            ),
        ),
    ]
    for n, png in enumerate(previews, start=1):
        path = folder / f"{job.format}.p{n:02d}.png"
        pending.append(
            Pending(
                path,
                png,
                Output(
                    path, "preview", "image/png", w_px, h_px, PREVIEW_PPI, url if n == back else None, extra={"page": n}
                ),
            )
        )
    return finish(pending, job, pj.synthetic, options, pj.deliverable.text[job.language].headline)


def _px(size_mm: tuple[float, float], ppi: float) -> tuple[int, int]:
    return (round(size_mm[0] / 25.4 * ppi), round(size_mm[1] / 25.4 * ppi))


# ---------------------------------------------------------------- infographics


def _infographic_sources(
    campaign: Campaign, job: Job
) -> tuple[doc.PageJob, Callable[[float], str], tuple[float, float], bool]:
    """The fitted infographic: its page job, its source for a bleed, its size in points, screen or print."""
    fmt = get_format(job.format)
    pj = page_job(campaign, job, "infographics", embedded_ok=False)
    root, font_files = campaign.root, fonts(campaign)
    where = job.label
    screen = not fmt.is_print
    if screen:
        size_pt = (fmt.width_px * 72 / SCREEN_PPI, fmt.height_px * 72 / SCREEN_PPI)
    else:
        size_pt = (fmt.trim_mm[0] * PT_PER_MM, fmt.trim_mm[1] * PT_PER_MM)
    body_pt = doc.infographic_body_pt(size_pt[0], screen)
    chart_h = size_pt[1] * (0.15 if screen else 0.3)
    writer = doc.BlockWriter(pj, chart_drawer(campaign, body_pt), size_pt[0] * 0.88, chart_h)
    body = writer.write(pj.content, spread=True)
    scale = 72 / SCREEN_PPI
    safe = (fmt.safe_px.top * scale, fmt.safe_px.bottom * scale) if screen else (0.0, 0.0)

    def source(bleed: float) -> str:
        return doc.document(pj, doc.infographic_config(pj, size_pt, screen, bleed, safe), body, "infographic")

    src = source(0.0)
    marks = engine.block_marks(src, root, font_files, where)
    check_fit(marks, writer, 1, size_pt[1], f"the {fmt.name} page")
    return pj, source, size_pt, screen


def render_infographic(campaign: Campaign, job: Job, quarter_dir: Path, options: RenderOptions) -> list[Output]:
    fmt = get_format(job.format)
    pj, source, size_pt, screen = _infographic_sources(campaign, job)
    root, font_files = campaign.root, fonts(campaign)
    when = quarter_day(job)
    where = job.label
    src = source(0.0)
    folder = quarter_dir / job.folder
    url = pj.qr.data
    qr_mm = doc.infographic_qr_pt(size_pt, screen) / PT_PER_MM
    pending: list[Pending] = []
    if screen:
        (png,) = engine.compile_png(src, root, font_files, SCREEN_PPI, where)
        check_qr(png, url, qr_mm, SCREEN_PPI, pj.qr.size, f"{where} PNG")
        path = folder / f"{job.format}.png"
        pending.append(Pending(path, png, Output(path, "image", "image/png", fmt.width_px, fmt.height_px, None, url)))
    else:
        reader = engine.compile_pdf(src, root, font_files, when, where)
        (preview,) = engine.compile_png(src, root, font_files, PREVIEW_PPI, where)
        check_qr(preview, url, qr_mm, PREVIEW_PPI, pj.qr.size, f"{where} page at {PREVIEW_PPI} dpi")
        trim = fmt.trim_mm
        sides = (impose.Side(1, "front", (impose.Panel(1, trim[0]),)),)
        bled = engine.compile_pdf(source(fmt.bleed_mm), root, font_files, when, where, tagged=False)
        label = f"{campaign.id} / {job.deliverable} / {job.language} / {job.format} / {job.quarter}"
        imposed_src = impose.impose_source(sides, "page.pdf", trim[0], trim[1], fmt.bleed_mm, label)
        printed = engine.compile_in_folder(imposed_src, {"page.pdf": bled}, font_files, when, where)
        printed = set_print_boxes(printed, sides, trim[1], fmt.bleed_mm)
        w_px, h_px = _px(trim, PREVIEW_PPI)
        preflight = {
            "trim_mm": [round(v, 2) for v in trim],
            "bleed_mm": fmt.bleed_mm,
            "qr_page_read": True,  # read on the page above, or the render stopped
            "qr_mm": round(qr_mm, 1),
        }
        for name, role, data, media in (
            (f"{job.format}.pdf", "reader", reader, "application/pdf"),
            (f"{job.format}.print.pdf", "print", printed, "application/pdf"),
            (f"{job.format}.png", "preview", preview, "image/png"),
        ):
            path = folder / name
            dpi = PREVIEW_PPI if media == "image/png" else None
            extra = {"preflight": preflight} if role == "print" else {}
            pending.append(Pending(path, data, Output(path, role, media, w_px, h_px, dpi, url, extra=extra)))
    return finish(pending, job, pj.synthetic, options, pj.deliverable.text[job.language].headline)
