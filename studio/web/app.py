"""``studio serve``: the review pages as a Starlette (ASGI) app.

Starlette rather than FastAPI: the pages are server-rendered HTML forms, so an API schema layer adds
nothing; Starlette gives routing, forms, file responses with byte ranges (video seeking) and streaming
(server-sent events) in one small dependency. Every page but the log-in page needs a session; every
form carries the session's CSRF token; every file served is looked up in the quarter's manifest and
resolved inside the quarter's folder.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import hmac
import json
import os
import re
import secrets
import subprocess
from collections.abc import AsyncIterator, MutableMapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response, StreamingResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from studio.campaign.models import VOICE_ENGINES
from studio.errors import StudioError
from studio.formats import FORMATS
from studio.review import ReviewDB, ReviewError, Session
from studio.web.data import (
    STATUSES,
    CampaignRef,
    Render,
    campaign_quarters,
    confined,
    file_sha,
    load_campaigns,
    parse_quarter,
    quarter_renders,
    safe_relative,
)
from studio.web.gallery import GalleryDrawer
from studio.web.i18n import LANGUAGES, word
from studio.web.jobs import RenderJobs, lock_holder
from studio.web.packs import PLATFORMS, build_pack, pack_renders

TEMPLATES = Path(__file__).resolve().parent.parent.parent / "templates" / "web"
SESSION_COOKIE = "taza_session"
LOGIN_CSRF_COOKIE = "taza_login_csrf"
LANG_COOKIE = "taza_lang"
SECURITY_HEADERS = {
    "content-security-policy": "default-src 'self'; img-src 'self' data:; media-src 'self'; object-src 'none'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
}


class Studio:
    """Everything the handlers share: campaigns, the renders folder, the review database, running renders."""

    def __init__(
        self, campaign_paths: list[Path], out_root: Path, workers: int = 0, keys_dir: Path | None = None
    ) -> None:
        self.campaigns: dict[str, CampaignRef] = load_campaigns(campaign_paths)
        self.out_root = Path(out_root)
        self.keys_dir = str(keys_dir) if keys_dir else None  # signing keys for synthetic renders (videos)
        self.db = ReviewDB(self.out_root)
        self.jobs = RenderJobs(self.out_root, workers, self.keys_dir)
        self.sources: dict[str, Any] = {}  # campaign id → editor.CampaignSource
        self.gallery = GalleryDrawer(self.out_root / ".cache" / "gallery")  # the design gallery's pictures
        self.tasks: set[asyncio.Task[Any]] = set()  # background work started by a page (kept until done)
        self.env = Environment(
            loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True, default_for_string=True)
        )
        self.env.filters["urlpath"] = lambda value: quote(str(value), safe="/")


def _lang(request: Request) -> str:
    lang = request.cookies.get(LANG_COOKIE, "ky")
    return lang if lang in LANGUAGES else "ky"


def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    studio: Studio = request.app.state.studio
    lang = _lang(request)
    session: Session | None = getattr(request.state, "session", None)
    html = studio.env.get_template(name).render(
        t=lambda key, **v: word(lang, key, **v),
        lang=lang,
        languages=LANGUAGES,
        session=session,
        user=session.user if session else None,
        csrf=session.csrf if session else "",
        path=request.url.path + (f"?{request.url.query}" if request.url.query else ""),
        **context,
    )
    return HTMLResponse(html, status_code=status)


def error_page(request: Request, status: int, key: str, detail: str = "") -> HTMLResponse:
    return page(request, "error.html", status=status, message=word(_lang(request), key), detail=detail)


class Guard:
    """Log-in required for everything but the log-in page; security headers on every answer; DB errors → a page."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)

        async def send_with_headers(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
                message = {**message, "headers": headers}
            await send(message)

        studio: Studio = scope["app"].state.studio if "app" in scope else request.app.state.studio
        path = scope["path"]
        try:
            session = await asyncio.to_thread(studio.db.session, request.cookies.get(SESSION_COOKIE, ""))
        except ReviewError as exc:
            scope.setdefault("state", {})
            await error_page(request, 503, "db_error", str(exc))(scope, receive, send_with_headers)
            return
        scope.setdefault("state", {})["session"] = session
        public = path == "/login" or path == "/lang" or path.startswith("/static/")
        if session is None and not public:
            response: Response = (
                RedirectResponse("/login", status_code=303)
                if request.method == "GET"
                else Response("log in first", status_code=401)
            )
            await response(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)


def _studio(request: Request) -> Studio:
    return request.app.state.studio  # type: ignore[no-any-return]


def _session(request: Request) -> Session:
    session: Session | None = request.state.session
    if session is None:
        raise HTTPException(401)
    return session


async def _form(request: Request, csrf: str) -> dict[str, str]:
    """The posted form, after checking its CSRF token against ``csrf`` (403 when missing or wrong)."""
    form = await request.form()
    sent = str(form.get("csrf", ""))
    if not csrf or not sent or not hmac.compare_digest(sent, csrf):
        raise HTTPException(403, "csrf")
    return {k: str(v) for k, v in form.items()}


def _ref_quarter(request: Request) -> tuple[CampaignRef, str]:
    studio = _studio(request)
    ref = studio.campaigns.get(request.path_params["campaign"])
    if ref is None:
        raise HTTPException(404)
    q = parse_quarter(ref, request.path_params["quarter"])
    if q is None:
        raise HTTPException(404)
    return ref, str(q)


def _cookie(response: Response, name: str, value: str, max_age: int | None = None) -> None:
    response.set_cookie(name, value, max_age=max_age, httponly=True, samesite="strict", path="/")


# Log-in --------------------------------------------------------------------------------------------


def _login_token(request: Request) -> str:
    # Reused while it lasts: a second log-in page (another tab, a favicon redirect) must not void the first form.
    token = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    return token if len(token) >= 32 else secrets.token_urlsafe(24)


async def login_form(request: Request) -> Response:
    token = _login_token(request)
    response = page(request, "login.html", login_csrf=token, failed=False)
    _cookie(response, LOGIN_CSRF_COOKIE, token)
    return response


async def login(request: Request) -> Response:
    studio = _studio(request)
    form = await _form(request, request.cookies.get(LOGIN_CSRF_COOKIE, ""))
    name, password = form.get("name", "").strip(), form.get("password", "")
    keys = (f"user:{name.lower()}", f"ip:{request.client.host if request.client else '?'}")
    # Repeated failures are slowed down: 3 free tries, then 1, 2, 4 … 30 s before each answer.
    delay = await asyncio.to_thread(studio.db.login_delay, keys)
    if delay:
        await asyncio.sleep(delay)
    result = await asyncio.to_thread(studio.db.login, name, password, keys) if studio.db.exists else None
    if result is None:
        token = _login_token(request)
        response = page(request, "login.html", status=401, login_csrf=token, failed=True, login_name=name)
        _cookie(response, LOGIN_CSRF_COOKIE, token)
        return response
    session_token, _ = result
    done = RedirectResponse("/", status_code=303)
    _cookie(done, SESSION_COOKIE, session_token, max_age=12 * 3600)
    done.delete_cookie(LOGIN_CSRF_COOKIE, path="/")
    return done


async def logout(request: Request) -> Response:
    session = _session(request)
    await _form(request, session.csrf)
    await asyncio.to_thread(_studio(request).db.logout, request.cookies.get(SESSION_COOKIE, ""))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


async def set_language(request: Request) -> Response:
    lang = request.query_params.get("to", "ky")
    target = request.query_params.get("next", "/")
    # Only paths of this site: never an open redirect to another one.
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        target = "/"
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(LANG_COOKIE, lang if lang in LANGUAGES else "ky", max_age=365 * 86400, samesite="lax")
    return response


# Pages ---------------------------------------------------------------------------------------------


async def home(request: Request) -> Response:
    studio = _studio(request)
    today = dt.date.today()

    def build() -> list[tuple[CampaignRef, list[Any]]]:
        return [(ref, campaign_quarters(ref, studio.out_root, studio.db, today)) for ref in studio.campaigns.values()]

    campaigns = await asyncio.to_thread(build)
    return page(request, "home.html", campaigns=campaigns, today=today)


async def quarter_page(request: Request) -> Response:
    studio = _studio(request)
    ref, quarter = _ref_quarter(request)
    renders = await asyncio.to_thread(quarter_renders, studio.db, studio.out_root, ref.id, quarter)
    kinds = sorted({r.kind for r in renders})
    want = {k: request.query_params.get(k, "") for k in ("kind", "language", "status")}
    shown = [
        r
        for r in renders
        if (not want["kind"] or r.kind == want["kind"])
        and (not want["language"] or r.language == want["language"])
        and (not want["status"] or r.status == want["status"])
    ]
    state = studio.jobs.state(ref.id, quarter)
    holder = None if state and state.running else lock_holder(studio.out_root / ref.id / quarter)
    packs = {p: len(pack_renders(renders, p)) for p in PLATFORMS}
    deliverables = sorted({d.id for d in ref.campaign.deliverables if parse_quarter(ref, quarter) in d.due_quarters})
    return page(
        request,
        "quarter.html",
        ref=ref,
        quarter=quarter,
        renders=shown,
        total=len(renders),
        kinds=kinds,
        statuses=STATUSES,
        want=want,
        state=state,
        holder=holder,
        packs=packs,
        deliverables=deliverables,
        campaign_languages=ref.campaign.languages,
        counts={s: sum(r.status == s for r in renders) for s in STATUSES},
    )


def _find_render(studio: Studio, ref: CampaignRef, quarter: str, key: str) -> tuple[Render, list[Render]]:
    clean = safe_relative(key)
    if clean is None:
        raise HTTPException(404)
    renders = quarter_renders(studio.db, studio.out_root, ref.id, quarter)
    render = next((r for r in renders if r.key == clean), None)
    if render is None:
        raise HTTPException(404)
    return render, renders


_verify_cache: dict[tuple[str, str], Any] = {}


def _pdf_pages(path: Path) -> int:
    try:
        out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.SubprocessError):
        return 0
    for line in out.splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    return 0


async def render_page(request: Request) -> Response:
    studio = _studio(request)
    ref, quarter = _ref_quarter(request)
    render, renders = await asyncio.to_thread(_find_render, studio, ref, quarter, request.path_params["key"])
    quarter_dir = studio.out_root / ref.id / quarter
    history = await asyncio.to_thread(studio.db.history, ref.id, quarter, render.key)
    siblings = [
        r
        for r in renders
        if (r.deliverable, r.language, r.format, r.draft)
        == (render.deliverable, render.language, render.format, render.draft)
    ]
    pdf = render.file("print")
    pages = await asyncio.to_thread(_pdf_pages, quarter_dir / pdf["path"]) if pdf else 0
    verify = _verify_cache.get((render.key, render.current.get(render.key, "")))
    try:
        copy = ref.campaign.deliverable(render.deliverable).text.get(render.language)
    except KeyError:
        copy = None
    return page(
        request,
        "render.html",
        ref=ref,
        quarter=quarter,
        r=render,
        history=history,
        siblings=siblings,
        pages=pages,
        verify=verify,
        copy=copy,
        fmt=FORMATS.get(render.format),
        message=request.query_params.get("m", ""),
    )


async def review(request: Request) -> Response:
    studio = _studio(request)
    session = _session(request)
    form = await _form(request, session.csrf)
    if not session.user.can_approve:
        return error_page(request, 403, "forbidden")
    ref, quarter = _ref_quarter(request)
    render, _ = await asyncio.to_thread(_find_render, studio, ref, quarter, request.path_params["key"])
    if form.get("sha256") != render.current.get(render.key):
        return error_page(request, 409, "changed_since")
    decision = form.get("decision", "")
    review, new = await asyncio.to_thread(
        studio.db.review, session.user, ref.id, quarter, render.current, decision, form.get("comment", "")
    )
    note = "" if new else word(_lang(request), "already_approved", user=review.user, at=review.at)
    target = f"/c/{ref.id}/{quarter}/r/{quote(render.key)}" + (f"?m={quote(note)}" if note else "")
    return RedirectResponse(target, status_code=303)


async def run_checks(request: Request) -> Response:
    from studio.label import KeyFiles, default_keys_folder
    from studio.verify import verify_paths

    studio = _studio(request)
    session = _session(request)
    await _form(request, session.csrf)
    ref, quarter = _ref_quarter(request)
    render, _ = await asyncio.to_thread(_find_render, studio, ref, quarter, request.path_params["key"])
    path = studio.out_root / ref.id / quarter / render.key
    anchor = KeyFiles(default_keys_folder()).trust_anchor
    reports = await asyncio.to_thread(verify_paths, [path], trust_anchors=anchor if anchor.exists() else None)
    _verify_cache[(render.key, render.current.get(render.key, ""))] = reports[0] if reports else None
    return RedirectResponse(f"/c/{ref.id}/{quarter}/r/{quote(render.key)}#checks", status_code=303)


async def _listed_file(request: Request) -> tuple[Path, dict[str, Any]]:
    """The file a URL names in a quarter and its manifest entry: only paths the manifest lists, resolved
    inside the quarter's folder; anything else is a 404."""
    studio = _studio(request)
    ref, quarter = _ref_quarter(request)
    clean = safe_relative(request.path_params["path"])
    if clean is None:
        raise HTTPException(404)
    renders = await asyncio.to_thread(quarter_renders, studio.db, studio.out_root, ref.id, quarter)
    entry = next((f for r in renders for f in r.files if f["path"] == clean), None)
    target = confined(studio.out_root / ref.id / quarter, clean) if entry else None
    if target is None or entry is None:
        raise HTTPException(404)
    return target, entry


async def serve_file(request: Request) -> Response:
    """A file of a quarter: only paths its manifest lists, resolved inside the quarter's folder."""
    target, entry = await _listed_file(request)
    media = str(entry.get("media_type") or "application/octet-stream")
    if target.name.endswith(".vtt"):
        media = "text/vtt; charset=utf-8"
    download = request.query_params.get("download") == "1"
    return FileResponse(
        target,
        media_type=media,
        filename=target.name if download else None,
        content_disposition_type="attachment" if download else "inline",
    )


async def thumbnail(request: Request) -> Response:
    """A small JPEG of an image or a video's middle frame, cached under ``renders/.cache/thumbs``."""
    studio = _studio(request)
    source, entry = await _listed_file(request)
    sha = file_sha(source) or ""
    cache = studio.out_root / ".cache" / "thumbs" / f"{sha}.jpg"
    if not cache.exists():
        await asyncio.to_thread(_make_thumb, source, cache, str(entry.get("media_type", "")))
    return FileResponse(cache, media_type="image/jpeg")


def _make_thumb(source: Path, cache: Path, media_type: str) -> None:
    from PIL import Image

    from studio.files import write_atomic

    cache.parent.mkdir(parents=True, exist_ok=True)
    if media_type.startswith("video/"):
        import imageio_ffmpeg

        frame = cache.with_suffix(".frame.png")
        subprocess.run(
            [
                imageio_ffmpeg.get_ffmpeg_exe(),
                "-nostdin",
                "-v",
                "error",
                "-y",
                "-ss",
                "1",
                "-i",
                str(source),
                "-frames:v",
                "1",
                str(frame),
            ],
            check=False,
            timeout=60,
        )
        if not frame.exists():
            raise HTTPException(404)
        image = Image.open(frame)
        frame_data = image.convert("RGB")
        frame.unlink()
    else:
        try:
            frame_data = Image.open(source).convert("RGB")
        except (OSError, Image.DecompressionBombError):
            raise HTTPException(404) from None
    frame_data.thumbnail((480, 480))
    import io

    buffer = io.BytesIO()
    frame_data.save(buffer, "JPEG", quality=82)
    write_atomic(cache, buffer.getvalue())


async def pdf_page(request: Request) -> Response:
    """Page N of a render's print PDF as a PNG (pdftoppm at screen resolution), cached by the PDF's sha256."""
    studio = _studio(request)
    ref, quarter = _ref_quarter(request)
    render, _ = await asyncio.to_thread(_find_render, studio, ref, quarter, request.path_params["key"])
    pdf = render.file("print")
    number = request.path_params["n"]
    if pdf is None or not 1 <= number <= 50:
        raise HTTPException(404)
    source = confined(studio.out_root / ref.id / quarter, pdf["path"])
    if source is None:
        raise HTTPException(404)
    cache = studio.out_root / ".cache" / "pages" / f"{file_sha(source)}-{number}.png"
    if not cache.exists():
        cache.parent.mkdir(parents=True, exist_ok=True)
        stem = cache.with_suffix("")
        await asyncio.to_thread(
            subprocess.run,
            [
                "pdftoppm",
                "-png",
                "-scale-to",
                "1400",
                "-f",
                str(number),
                "-l",
                str(number),
                "-singlefile",
                str(source),
                str(stem) + ".part",
            ],
            check=False,
            timeout=120,
        )
        part = Path(str(stem) + ".part.png")
        if not part.exists():
            raise HTTPException(404)
        part.replace(cache)
    return FileResponse(cache, media_type="image/png")


async def start_render(request: Request) -> Response:
    studio = _studio(request)
    session = _session(request)
    form = await _form(request, session.csrf)
    if not session.user.can_render:
        return error_page(request, 403, "forbidden")
    ref, quarter = _ref_quarter(request)
    deliverable = form.get("deliverable") or None
    try:
        await asyncio.to_thread(studio.jobs.start, ref, quarter, deliverable, session.user.name)
    except StudioError as exc:
        return page(
            request, "error.html", status=409, message=word(_lang(request), "render_elsewhere"), detail=str(exc)
        )
    return RedirectResponse(f"/c/{ref.id}/{quarter}#render", status_code=303)


async def render_events(request: Request) -> Response:
    """Server-sent events: the quarter's render progress every half second until it ends."""
    studio = _studio(request)
    ref, quarter = _ref_quarter(request)
    quarter_dir = studio.out_root / ref.id / quarter

    async def stream() -> Any:
        last = None
        while True:
            state = studio.jobs.state(ref.id, quarter)
            if state is not None and (state.running or last is not None):
                payload: dict[str, Any] = state.as_json()
            else:
                holder = await asyncio.to_thread(lock_holder, quarter_dir)
                payload = {"running": bool(holder), "elsewhere": holder}
            data = json.dumps(payload, ensure_ascii=False)
            if data != last:
                yield f"data: {data}\n\n"
                last = data
            if not payload["running"]:
                return
            if await request.is_disconnected():
                return
            await asyncio.sleep(0.5)

    return StreamingResponse(stream(), media_type="text/event-stream", headers={"cache-control": "no-store"})


async def publish_pack(request: Request) -> Response:
    studio = _studio(request)
    ref, quarter = _ref_quarter(request)
    platform = request.path_params["platform"]
    if platform not in PLATFORMS:
        raise HTTPException(404)
    renders = await asyncio.to_thread(quarter_renders, studio.db, studio.out_root, ref.id, quarter)
    data = await asyncio.to_thread(build_pack, ref.campaign, studio.out_root / ref.id / quarter, renders, platform)
    name = f"{ref.id}-{quarter}-{platform}.zip"
    return Response(
        data, media_type="application/zip", headers={"content-disposition": f'attachment; filename="{name}"'}
    )


# Editing a campaign -----------------------------------------------------------------------------


def _editable(request: Request) -> tuple[CampaignRef, Any, Session]:
    studio = _studio(request)
    session = _session(request)
    if not session.user.can_render:
        raise HTTPException(403)
    ref = studio.campaigns.get(request.path_params["campaign"])
    if ref is None:
        raise HTTPException(404)
    deliverable_id = request.path_params.get("deliverable")
    deliverable = None
    if deliverable_id is not None:
        deliverable = next((d for d in ref.campaign.deliverables if d.id == deliverable_id), None)
        if deliverable is None:
            raise HTTPException(404)
    return ref, deliverable, session


def _source(studio: Studio, ref: CampaignRef) -> Any:
    from studio.web.editor import CampaignSource

    if ref.id not in studio.sources:
        studio.sources[ref.id] = CampaignSource(ref.path)
    return studio.sources[ref.id]


def _reload(studio: Studio, ref: CampaignRef) -> None:
    from studio.campaign import load_campaign

    studio.campaigns[ref.id] = CampaignRef(ref.id, ref.path, load_campaign(ref.path))


async def edit_page(request: Request) -> Response:
    from studio.kinds import get_kind
    from studio.web.editor import deliverable_index, project_images, sha_of_text

    studio = _studio(request)
    ref, deliverable, _ = _editable(request)
    kind_of = get_kind(deliverable.kind)
    text, data = await asyncio.to_thread(_source(studio, ref).current)
    raw = data["deliverables"][deliverable_index(data, deliverable.id)]
    quarters = raw.get("quarters")
    from studio.web.editor import still_designs

    designs = still_designs(ref.campaign.root)
    root = ref.campaign.root
    image = deliverable.background.image if deliverable.background is not None else None
    return page(
        request,
        "edit.html",
        ref=ref,
        d=deliverable,
        kind=get_kind(deliverable.kind),
        quarters_text=", ".join(str(q) for q in quarters) if isinstance(quarters, list) else "",
        quarters_range=quarters if isinstance(quarters, dict) else None,
        designs=designs,
        base=sha_of_text(text),
        campaign_languages=ref.campaign.languages,
        message=request.query_params.get("m", ""),
        brand_roles=list(ref.campaign.brand.colors),
        voices=ref.campaign.voices,
        voice_engines=VOICE_ENGINES,
        images=project_images(root) if kind_of.drawn and not kind_of.scripted else [],
        image_now=image.relative_to(root).as_posix() if image is not None else "",
    )


async def _json_csrf(request: Request, session: Session) -> dict[str, Any]:
    sent = request.headers.get("x-csrf-token", "")
    if not sent or not hmac.compare_digest(sent, session.csrf):
        raise HTTPException(403, "csrf")
    try:
        data = await request.json()
    except ValueError:
        raise HTTPException(400) from None
    if not isinstance(data, dict):
        raise HTTPException(400)
    return data


async def edit_preview(request: Request) -> Response:
    from starlette.responses import JSONResponse

    from studio.web.editor import Edit, preview

    studio = _studio(request)
    ref, deliverable, session = _editable(request)
    data = await _json_csrf(request, session)
    try:
        edit = Edit.of_json(data.get("edit"))
        result = await asyncio.to_thread(
            preview,
            _source(studio, ref),
            deliverable.id,
            edit,
            str(data.get("format", "")),
            str(data.get("language", "")),
            _lang(request),
        )
    except StudioError as exc:
        return JSONResponse({"image": None, "problems": [{"field": "", "message": str(exc), "detail": str(exc)}]})
    return JSONResponse(
        {
            "image": result.image,
            "width": result.width,
            "height": result.height,
            "ms": round(result.ms, 1),
            "problems": [{"field": p.field, "message": p.message, "detail": p.detail} for p in result.problems],
        }
    )


async def edit_save(request: Request) -> Response:
    from starlette.responses import JSONResponse

    from studio.web.editor import ConflictError, Edit, problems_of, save, sha_of_text

    studio = _studio(request)
    ref, deliverable, session = _editable(request)
    data = await _json_csrf(request, session)
    lang = _lang(request)
    try:
        edit = Edit.of_json(data.get("edit"))
        too_long = edit.too_long(lang)
        if too_long:
            return JSONResponse({"saved": False, "problems": [p.__dict__ for p in too_long]}, status_code=422)
        old, new = await asyncio.to_thread(save, ref.path, deliverable.id, edit, str(data.get("base", "")))
    except ConflictError as exc:
        return JSONResponse(
            {"saved": False, "conflict": True, "message": word(lang, "conflict"), "detail": str(exc)}, 409
        )
    except StudioError as exc:
        problems = problems_of(exc, lang)
        return JSONResponse({"saved": False, "problems": [p.__dict__ for p in problems]}, status_code=422)
    await asyncio.to_thread(studio.db.add_revisions, ref.id, session.user.name, deliverable.id, old, new)
    await asyncio.to_thread(_reload, studio, ref)
    return JSONResponse({"saved": True, "base": sha_of_text(new), "message": word(lang, "saved")})


def _revised_file(ref: CampaignRef, name: str) -> tuple[str, Path]:
    """The review-database key and the path of a revised file: the campaign file (``name`` empty) or a
    script template (``scripts/NAME.LANG.j2``); anything else is a 404."""
    from studio.video.script import template_path

    if not name:
        return ref.id, ref.path
    found = re.fullmatch(r"scripts/([a-z0-9][a-z0-9-]*)\.([a-z]{2})\.j2", name)
    if found is None:
        raise HTTPException(404)
    try:
        path = template_path(ref.campaign.root, found.group(1), found.group(2))
    except StudioError:
        raise HTTPException(404) from None
    return f"{ref.id}/{name}", path


async def revisions_page(request: Request) -> Response:
    import difflib

    studio = _studio(request)
    ref, _, _ = _editable(request)
    name = request.query_params.get("file", "")
    key, path = _revised_file(ref, name)
    revisions = await asyncio.to_thread(studio.db.revisions, key)
    current = path.read_text(encoding="utf-8") if path.is_file() else ""
    shown = None
    diff: list[str] = []
    chosen = request.query_params.get("id", "")
    if chosen.isdigit():
        shown = await asyncio.to_thread(studio.db.revision, key, int(chosen))
        if shown is None:
            raise HTTPException(404)
        diff = list(
            difflib.unified_diff(current.splitlines(), shown.text.splitlines(), "now", f"#{shown.id}", lineterm="", n=2)
        )
    return page(
        request, "revisions.html", ref=ref, revisions=revisions, shown=shown, diff=diff, file=name, file_name=path.name
    )


async def revision_restore(request: Request) -> Response:

    from studio.web.editor import check_and_write
    from studio.web.scripts import restore_script

    studio = _studio(request)
    ref, _, session = _editable(request)
    form = await _form(request, session.csrf)
    name = form.get("file", "")
    key, path = _revised_file(ref, name)
    revision = await asyncio.to_thread(studio.db.revision, key, request.path_params["id"])
    if revision is None:
        raise HTTPException(404)
    try:
        if name:
            old = await asyncio.to_thread(restore_script, ref.campaign, path, revision.text)
        else:
            old = ref.path.read_text(encoding="utf-8")
            await asyncio.to_thread(check_and_write, ref.path, revision.text)
    except StudioError as exc:
        return error_page(request, 422, "bad_request", str(exc))
    await asyncio.to_thread(
        studio.db.add_revisions, key, session.user.name, f"restored #{revision.id}", old, revision.text
    )
    if not name:
        await asyncio.to_thread(_reload, studio, ref)
    query = f"?file={quote(name, safe='/')}" if name else ""
    return RedirectResponse(f"/edit/{ref.id}/revisions{query}", status_code=303)


async def gallery_page(request: Request) -> Response:
    from studio.web.editor import GALLERY_KINDS, served_formats, sha_of_text, still_designs

    studio = _studio(request)
    ref, _, _ = _editable(request)
    root = ref.campaign.root
    designs = await asyncio.to_thread(lambda: [(name, served_formats(root, name)) for name in still_designs(root)])
    # Every picture not yet drawn is queued now, in the page's order: the browser's requests find them drawn.
    cards = [(kind, name, f) for name, served in designs for kind, formats in served.items() for f in formats]
    task = asyncio.create_task(
        asyncio.to_thread(studio.gallery.prefetch, _source(studio, ref), cards, _picture_lang(request, ref))
    )
    studio.tasks.add(task)
    task.add_done_callback(studio.tasks.discard)
    text, _ = await asyncio.to_thread(_source(studio, ref).current)
    return page(
        request,
        "new.html",
        ref=ref,
        designs=designs,
        kinds=GALLERY_KINDS,
        base=sha_of_text(text),
        campaign_languages=ref.campaign.languages,
        form=request.query_params,
        problem=request.query_params.get("problem", ""),
    )


def _picture_lang(request: Request, ref: CampaignRef) -> str:
    """The language the gallery's sample words are in: the reader's, when the campaign has it."""
    return _lang(request) if _lang(request) in ref.campaign.languages else ref.campaign.languages[0]


async def gallery_picture_route(request: Request) -> Response:
    """A design's picture in one format: drawn once (see ``studio.web.gallery``), then read from disk."""
    from studio.web.editor import GALLERY_KINDS

    studio = _studio(request)
    ref, _, _ = _editable(request)
    design, fmt = request.path_params["design"], request.path_params["format"]
    kind = request.query_params.get("kind", "")
    if kind not in GALLERY_KINDS:
        raise HTTPException(404)
    try:
        data = await studio.gallery.picture(_source(studio, ref), kind, design, fmt, _picture_lang(request, ref))
    except StudioError:
        raise HTTPException(404) from None
    return Response(data, media_type="image/jpeg", headers={"cache-control": "private, max-age=300"})


async def new_deliverable(request: Request) -> Response:
    from urllib.parse import urlencode

    from studio.web.editor import ConflictError, NewDeliverable, add_deliverable

    studio = _studio(request)
    ref, _, session = _editable(request)
    form = await request.form()
    sent = str(form.get("csrf", ""))
    if not sent or not hmac.compare_digest(sent, session.csrf):
        raise HTTPException(403, "csrf")
    new = NewDeliverable(
        id=str(form.get("id", "")).strip(),
        kind=str(form.get("kind", "")),
        design=str(form.get("design", "")),
        formats=[str(f) for f in form.getlist("formats")],
        headlines={lang: str(form.get(f"headline.{lang}", "")) for lang in ref.campaign.languages},
    )
    try:
        old, text = await asyncio.to_thread(add_deliverable, ref.path, new, str(form.get("base", "")))
    except ConflictError:
        return error_page(request, 409, "conflict")
    except StudioError as exc:
        keep = {k: str(v) for k, v in form.items() if k not in ("csrf", "base", "formats")}
        return RedirectResponse(f"/edit/{ref.id}/new?{urlencode({**keep, 'problem': str(exc)})}", status_code=303)
    await asyncio.to_thread(studio.db.add_revisions, ref.id, session.user.name, f"new {new.id}", old, text)
    await asyncio.to_thread(_reload, studio, ref)
    return RedirectResponse(f"/edit/{ref.id}/{new.id}", status_code=303)


def _scripted(request: Request) -> tuple[CampaignRef, Any, Session]:
    """The campaign, deliverable and session of a script page: only videos and audio deliverables have one."""
    ref, deliverable, session = _editable(request)
    if deliverable.kind not in ("video", "audio") or not deliverable.script:
        raise HTTPException(404)
    return ref, deliverable, session


def _script_lang_format(ref: CampaignRef, deliverable: Any, lang: str, fmt: str) -> tuple[str, str]:
    if lang not in ref.campaign.deliverable_languages(deliverable) or fmt not in deliverable.formats:
        raise HTTPException(404)
    return lang, fmt


def _speech_cache(studio: Studio) -> Path:
    return studio.out_root / ".cache" / "speech"


async def script_page(request: Request) -> Response:
    """The script editor: each language's template side by side, with its scenes timed from real speech."""
    from studio.web.editor import sha_of_text
    from studio.web.scripts import check_script, revision_key, script_path

    studio = _studio(request)
    ref, deliverable, _ = _scripted(request)
    languages = ref.campaign.deliverable_languages(deliverable)
    lang, fmt = _script_lang_format(
        ref,
        deliverable,
        request.query_params.get("language", languages[0]),
        request.query_params.get("format", deliverable.formats[0]),
    )
    columns = []
    for code in languages:
        path = script_path(ref.campaign, deliverable, code)
        text = await asyncio.to_thread(path.read_text, encoding="utf-8") if path.is_file() else ""
        check = await asyncio.to_thread(
            check_script, ref.campaign, deliverable, code, text, fmt, _speech_cache(studio), _lang(request)
        )
        columns.append(
            {
                "lang": code,
                "file": path.name,
                "text": text,
                "base": sha_of_text(text),
                "check": check,
                "revisions": revision_key(ref.id, path).split("/", 1)[1],
            }
        )
    return page(
        request,
        "script.html",
        ref=ref,
        d=deliverable,
        columns=columns,
        script_lang=lang,
        script_format=fmt,
        languages_of=languages,
        draft=(_draft_dir(studio, ref, deliverable.id) / deliverable.id / lang / f"{fmt}.draft.mp4").is_file(),
        draft_problem=request.query_params.get("problem", ""),
    )


def _check_json(check: Any) -> dict[str, Any]:
    return {
        "parts": [
            {
                "kind": p.kind,
                "index": p.index,
                "speaker": p.speaker,
                "title": p.title,
                "narration": p.narration,
                "start": round(p.start_s, 2),
                "duration": round(p.duration_s, 2),
            }
            for p in check.parts
        ],
        "total": round(check.total_s, 2),
        "problems": [{"line": p.line, "message": p.message, "detail": p.detail} for p in check.problems],
        "ms": round(check.ms, 1),
    }


async def script_check(request: Request) -> Response:
    """Check a script's unsaved text with the CLI's loader, speak and time it: its scenes, or its problem."""
    from starlette.responses import JSONResponse

    from studio.web.scripts import check_script

    studio = _studio(request)
    ref, deliverable, session = _scripted(request)
    data = await _json_csrf(request, session)
    lang, fmt = _script_lang_format(ref, deliverable, str(data.get("language", "")), str(data.get("format", "")))
    text = str(data.get("text", ""))
    check = await asyncio.to_thread(
        check_script, ref.campaign, deliverable, lang, text, fmt, _speech_cache(studio), _lang(request)
    )
    return JSONResponse({"language": lang, **_check_json(check)})


async def script_save(request: Request) -> Response:
    """Save the edited templates, each checked like the CLI; a template changed on disk meanwhile is a conflict."""
    from starlette.responses import JSONResponse

    from studio.web.editor import ConflictError, sha_of_text
    from studio.web.scripts import ScriptInvalid, revision_key, save_scripts, script_word

    studio = _studio(request)
    ref, deliverable, session = _scripted(request)
    data = await _json_csrf(request, session)
    ui = _lang(request)
    languages = ref.campaign.deliverable_languages(deliverable)
    texts, bases = data.get("texts"), data.get("bases")
    if not isinstance(texts, dict) or not isinstance(bases, dict) or not set(texts) <= set(languages):
        raise HTTPException(400)
    texts = {str(k): str(v) for k, v in texts.items()}
    bases = {str(k): str(v) for k, v in bases.items()}
    try:
        changes = await asyncio.to_thread(save_scripts, ref.campaign, deliverable, texts, bases, ui)
    except ConflictError as exc:
        return JSONResponse(
            {"saved": False, "conflict": True, "message": script_word(ui, "conflict"), "detail": str(exc)}, 409
        )
    except ScriptInvalid as exc:
        p = exc.problem
        problems = [{"language": exc.lang, "line": p.line, "message": p.message, "detail": p.detail}]
        return JSONResponse({"saved": False, "message": script_word(ui, "not_saved"), "problems": problems}, 422)
    except (StudioError, OSError) as exc:
        return JSONResponse({"saved": False, "message": script_word(ui, "not_saved"), "detail": str(exc)}, 422)
    for path, old, new in changes:
        await asyncio.to_thread(
            studio.db.add_revisions, revision_key(ref.id, path), session.user.name, deliverable.id, old, new
        )
    return JSONResponse(
        {
            "saved": True,
            "message": script_word(ui, "saved"),
            "bases": {lang: sha_of_text(texts[lang]) for lang in texts},
            "changed": [path.name for path, _, _ in changes],
        }
    )


async def script_listen(request: Request) -> Response:
    """Speak a scene (or the whole narration) of the script as typed; answer the draft's address."""
    from starlette.responses import JSONResponse

    from studio.web.scripts import check_script, listen

    studio = _studio(request)
    ref, deliverable, session = _scripted(request)
    data = await _json_csrf(request, session)
    lang, fmt = _script_lang_format(ref, deliverable, str(data.get("language", "")), str(data.get("format", "")))
    scene = data.get("scene")
    if scene is not None and not (isinstance(scene, int) and 1 <= scene <= 500):
        raise HTTPException(400)
    text = str(data.get("text", ""))
    folder = _draft_dir(studio, ref, deliverable.id) / deliverable.id / lang
    try:
        path = await asyncio.to_thread(
            listen, ref.campaign, deliverable, lang, text, fmt, scene, _speech_cache(studio), folder
        )
    except StudioError:
        check = await asyncio.to_thread(
            check_script, ref.campaign, deliverable, lang, text, fmt, _speech_cache(studio), _lang(request)
        )
        return JSONResponse({"url": None, **_check_json(check)}, 422)
    return JSONResponse({"url": f"/edit/{ref.id}/{deliverable.id}/draft/{lang}/{path.name}"})


def _draft_dir(studio: Studio, ref: CampaignRef, deliverable_id: str) -> Path:
    """Drafts are rendered into ``renders/.cache/drafts/CAMPAIGN/`` (then ``DELIVERABLE/LANG/`` like renders)."""
    return studio.out_root / ".cache" / "drafts" / ref.id


async def make_draft(request: Request) -> Response:
    """Render a low-resolution draft of a video deliverable (labelled and signed like every synthetic render)."""
    from urllib.parse import urlencode

    from studio.plan import Job
    from studio.video.explainer import VideoOptions, render_video_job

    studio = _studio(request)
    ref, deliverable, session = _editable(request)
    form = await _form(request, session.csrf)
    lang, fmt = form.get("language", ""), form.get("format", "")
    if (
        deliverable.kind != "video"
        or not deliverable.script
        or lang not in ref.campaign.deliverable_languages(deliverable)
        or fmt not in deliverable.formats
    ):
        raise HTTPException(404)
    job = Job(deliverable.due_quarters[0], deliverable.id, lang, fmt, deliverable.kind)
    # a draft asked for in the browser is the one thing being made: it may use every core
    segments = os.cpu_count() or 1
    options = VideoOptions(cache_dir=studio.out_root / ".cache" / "speech", draft=True, segments=segments)
    query = {"language": lang, "format": fmt}
    try:
        await asyncio.to_thread(
            render_video_job, ref.campaign, job, _draft_dir(studio, ref, deliverable.id), options, studio.keys_dir
        )
    except StudioError as exc:
        query["problem"] = str(exc)
    return RedirectResponse(f"/edit/{ref.id}/{deliverable.id}/script?{urlencode(query)}#draft", status_code=303)


async def draft_file(request: Request) -> Response:
    studio = _studio(request)
    ref, deliverable, _ = _editable(request)
    name = request.path_params["name"]
    if not re.fullmatch(r"[a-z0-9-]+\.draft\.(mp4|vtt)|[0-9a-f]{20}\.ogg", name):
        raise HTTPException(404)
    target = confined(
        _draft_dir(studio, ref, deliverable.id), f"{deliverable.id}/{request.path_params['language']}/{name}"
    )
    if target is None:
        raise HTTPException(404)
    media = {"mp4": "video/mp4", "vtt": "text/vtt; charset=utf-8", "ogg": "audio/ogg"}[name.rsplit(".", 1)[1]]
    return FileResponse(target, media_type=media)


async def http_error(request: Request, exc: Exception) -> Response:
    status = getattr(exc, "status_code", 500)
    detail = getattr(exc, "detail", "")
    if status == 403 and detail == "csrf":
        return error_page(request, 403, "csrf")
    if status == 401:
        return RedirectResponse("/login", status_code=303)
    return error_page(request, status, "not_found" if status == 404 else "forbidden")


async def review_error(request: Request, exc: Exception) -> Response:
    status = 503 if "busy" in str(exc) or "damaged" in str(exc) or "cannot" in str(exc) else 400
    key = "db_error" if status == 503 else "bad_request"
    return error_page(request, status, key, str(exc))


def create_app(campaign_paths: list[Path], out_root: Path, workers: int = 0, keys_dir: Path | None = None) -> Starlette:
    studio = Studio(campaign_paths, out_root, workers, keys_dir)
    cq = "/c/{campaign}/{quarter}"
    routes = [
        Route("/login", login_form, methods=["GET"]),
        Route("/login", login, methods=["POST"]),
        Route("/logout", logout, methods=["POST"]),
        Route("/lang", set_language, methods=["GET"]),
        Route("/", home, methods=["GET"]),
        Route(cq, quarter_page, methods=["GET"]),
        Route(cq + "/render", start_render, methods=["POST"]),
        Route(cq + "/events", render_events, methods=["GET"]),
        Route(cq + "/pack/{platform}.zip", publish_pack, methods=["GET"]),
        Route(cq + "/file/{path:path}", serve_file, methods=["GET"]),
        Route(cq + "/thumb/{path:path}", thumbnail, methods=["GET"]),
        Route(cq + "/review/{key:path}", review, methods=["POST"]),
        Route(cq + "/verify/{key:path}", run_checks, methods=["POST"]),
        Route(cq + "/page/{n:int}/{key:path}", pdf_page, methods=["GET"]),
        Route(cq + "/r/{key:path}", render_page, methods=["GET"]),
        Route("/edit/{campaign}/revisions", revisions_page, methods=["GET"]),
        Route("/edit/{campaign}/new", gallery_page, methods=["GET"]),
        Route("/edit/{campaign}/new", new_deliverable, methods=["POST"]),
        Route("/edit/{campaign}/gallery/{design}/{format}.jpg", gallery_picture_route, methods=["GET"]),
        Route("/edit/{campaign}/restore/{id:int}", revision_restore, methods=["POST"]),
        Route("/edit/{campaign}/{deliverable}", edit_page, methods=["GET"]),
        Route("/edit/{campaign}/{deliverable}/script", script_page, methods=["GET"]),
        Route("/edit/{campaign}/{deliverable}/draft", make_draft, methods=["POST"]),
        Route("/edit/{campaign}/{deliverable}/script/check", script_check, methods=["POST"]),
        Route("/edit/{campaign}/{deliverable}/script/save", script_save, methods=["POST"]),
        Route("/edit/{campaign}/{deliverable}/listen", script_listen, methods=["POST"]),
        Route("/edit/{campaign}/{deliverable}/draft/{language}/{name}", draft_file, methods=["GET"]),
        Route("/edit/{campaign}/{deliverable}/preview", edit_preview, methods=["POST"]),
        Route("/edit/{campaign}/{deliverable}/save", edit_save, methods=["POST"]),
        Mount("/static", StaticFiles(directory=TEMPLATES / "static"), name="static"),
    ]

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        yield
        studio.gallery.close()  # the gallery's worker processes end with the server

    app = Starlette(
        routes=routes,
        middleware=[Middleware(Guard)],
        exception_handlers={HTTPException: http_error, ReviewError: review_error},
        lifespan=lifespan,
    )
    app.state.studio = studio
    return app
