"""The review gallery opened in a real headless Chromium: images decode, videos load, captions have cues.

Chromium is driven over ``--remote-debugging-pipe`` (DevTools protocol messages, NUL-separated, on the
browser's fds 3 and 4), so the test needs no extra package and no debugging port. The quarter folder
is served by ``http.server`` on 127.0.0.1 and also opened from disk (file://), as reviewers open it.
"""

from __future__ import annotations

import fcntl
import functools
import hashlib
import http.server
import json
import os
import select
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import imageio_ffmpeg
import pytest
from PIL import Image

from studio.batch.manifest import Manifest, load_manifest
from studio.report import build_gallery, write_gallery

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
TIMEOUT_S = 15.0
TITLE = "Таш-Көмүр: коррупциясыз шаар"
FAILURES = [
    {
        "deliverable": "report-qr-social",
        "language": "ru",
        "format": "story",
        "error": 'text "Сообщите <за минуту>" does not fit',
    }
]

VTT = """WEBVTT

00:00:00.000 --> 00:00:00.700
Пара деген эмне?

00:00:00.700 --> 00:00:01.400
Коррупция тууралуу кабарлаңыз.
"""

#: Runs in the page: bring every image and video into view, wait for each to load, read back what loaded.
PROBE_JS = """
(async () => {
  const until = (ok, ms) => new Promise((resolve) => {
    const start = performance.now();
    const tick = () => (ok() || performance.now() - start > ms) ? resolve(ok()) : setTimeout(tick, 25);
    tick();
  });
  const images = [...document.images];
  for (const img of images) { img.scrollIntoView(); await until(() => img.complete && img.naturalWidth > 0, 5000); }
  const videos = [...document.querySelectorAll('video')];
  const metadata = [];
  for (const v of videos) {
    v.scrollIntoView();
    await until(() => v.readyState >= 1 || v.error, 8000);
    metadata.push(v.readyState);
    // Metadata alone can come from the header; seeking makes the browser decode a frame of the picture.
    if (!v.error) {
      v.currentTime = v.duration / 2;
      await until(() => (v.readyState >= 2 && !v.seeking) || v.error, 8000);
    }
  }
  for (const v of videos) {
    for (const t of v.textTracks) { t.mode = 'hidden'; }
    await until(() => [...v.textTracks].every((t) => t.cues && t.cues.length > 0), 5000);
  }
  return {
    images: images.map((i) => ({src: i.currentSrc, width: i.naturalWidth})),
    videos: videos.map((v, i) => ({
      src: v.currentSrc, readyState: metadata[i], decoded: v.readyState >= 2 && !v.seeking,
      error: v.error && v.error.code, duration: v.duration, width: v.videoWidth, height: v.videoHeight,
      tracks: [...v.textTracks].map((t) => ({
        language: t.language, kind: t.kind, cues: t.cues ? t.cues.length : -1,
        first: t.cues && t.cues.length ? t.cues[0].text : null,
      })),
    })),
  };
})()
"""


def _browser() -> str | None:
    return next((path for name in BROWSERS if (path := shutil.which(name))), None)


def _high_fd(fd: int) -> int:
    """Move ``fd`` above 9 (close-on-exec), so putting pipes on fds 3 and 4 in the child cannot clobber one."""
    high = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd)
    return high


class DevTools:
    """A headless Chromium and its DevTools pipe: commands in, replies and events out."""

    def __init__(self, exe: str, profile: Path, log: Path) -> None:
        cmd_r, cmd_w = (_high_fd(fd) for fd in os.pipe())
        out_r, out_w = (_high_fd(fd) for fd in os.pipe())
        argv = [
            exe,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--mute-audio",
            f"--user-data-dir={profile}",
            "--remote-debugging-pipe",
            "about:blank",
        ]
        actions = [
            (os.POSIX_SPAWN_DUP2, cmd_r, 3),
            (os.POSIX_SPAWN_DUP2, out_w, 4),
            (os.POSIX_SPAWN_OPEN, 0, "/dev/null", os.O_RDONLY, 0),
            (os.POSIX_SPAWN_OPEN, 1, str(log), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644),
            (os.POSIX_SPAWN_DUP2, 1, 2),
        ]
        # Its own session, so a browser that will not close can be ended with all its helpers, and only them.
        self.pid = os.posix_spawn(exe, argv, dict(os.environ), file_actions=actions, setsid=True)
        os.close(cmd_r)
        os.close(out_w)
        self._write, self._read, self._log = cmd_w, out_r, log
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []

    def _receive(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._read], [], [], left)[0]:
                raise TimeoutError("Chromium did not answer in time")
            chunk = os.read(self._read, 1 << 16)
            if not chunk:
                log = self._log.read_text(errors="replace")[-2000:] if self._log.exists() else ""
                raise RuntimeError(f"Chromium closed its DevTools pipe; its log ends:\n{log}")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        result: dict[str, Any] = json.loads(message)
        return result

    def send(self, method: str, params: dict[str, Any] | None = None, session: str | None = None) -> dict[str, Any]:
        self._next_id += 1
        command: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            command["sessionId"] = session
        os.write(self._write, json.dumps(command).encode() + b"\0")
        deadline = time.monotonic() + TIMEOUT_S
        while True:
            message = self._receive(deadline)
            if message.get("id") == self._next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                reply: dict[str, Any] = message.get("result", {})
                return reply
            self.events.append(message)

    def wait_for(self, seen: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
        deadline = time.monotonic() + TIMEOUT_S
        for event in self.events:
            if seen(event):
                return event
        while True:
            event = self._receive(deadline)
            self.events.append(event)
            if seen(event):
                return event

    def close(self) -> None:
        try:
            self.send("Browser.close")
        except (OSError, RuntimeError, TimeoutError):
            pass
        deadline = time.monotonic() + 5
        exited = False
        while not exited and time.monotonic() < deadline:
            exited = os.waitpid(self.pid, os.WNOHANG) != (0, 0)
            time.sleep(0 if exited else 0.05)
        if not exited:
            os.killpg(self.pid, signal.SIGKILL)  # the browser's own session: its helpers, nothing else
            os.waitpid(self.pid, 0)
        os.close(self._write)
        os.close(self._read)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevTools]:
    exe = _browser()
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is needed for the gallery test in CI: apt-get install -y chromium")
        pytest.skip("Chromium is not installed (apt-get install -y chromium); the gallery is not checked in a browser")
    folder = tmp_path_factory.mktemp("chromium")
    devtools = DevTools(exe, folder / "profile", folder / "chromium.log")
    try:
        yield devtools
    finally:
        devtools.close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".vtt": "text/vtt", ".mp4": "video/mp4"}

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class names it so
        pass


@pytest.fixture
def served(quarter_dir: Path) -> Iterator[str]:
    """The quarter folder over HTTP on an ephemeral port of 127.0.0.1."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=quarter_dir))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


#: What each role of file is, as the render jobs record it.
KINDS = {"image": "social", "print": "banner", "proof": "banner", "video": "video", "captions": "video"}
MEDIA = {
    ".png": "image/png",
    ".pdf": "application/pdf",
    ".mp4": "video/mp4",
    ".vtt": "text/vtt",
    ".srt": "application/x-subrip",
}
FFMPEG_TINY_MP4 = (
    "-nostdin -v error -y -f lavfi -i testsrc2=size=192x108:rate=12:duration=1.5 "
    "-f lavfi -i sine=frequency=440:duration=1.5:sample_rate=22050 -c:v libx264 -preset ultrafast "
    "-pix_fmt yuv420p -c:a aac -b:a 32k -shortest -movflags +faststart"
)


def _entry(quarter_dir: Path, path: str, role: str, **fields: Any) -> dict[str, Any]:
    """A manifest entry for the file at ``path`` (``DELIVERABLE/LANG/FORMAT.EXT``), as a render job writes it."""
    data = (quarter_dir / path).read_bytes()
    deliverable, language, name = path.split("/")
    base: dict[str, Any] = {
        "path": path,
        "kind": KINDS[role],
        "role": role,
        "media_type": MEDIA[Path(name).suffix],
        "deliverable": deliverable,
        "language": language,
        "format": name.split(".")[0],
        "quarter": "2026Q1",
        "sha256": hashlib.sha256(data).hexdigest(),
        "bytes": len(data),
        "width_px": 0,
        "height_px": 0,
        "dpi": None,
        "synthetic": False,
        "disclosure": [],
        "qr_url": None,
        "voice_engine": None,
        "duration_s": None,
    }
    return base | fields


@pytest.fixture
def quarter_dir(tmp_path: Path) -> Path:
    """A small rendered quarter: a social PNG, a print PDF with its proof, and a voiced video with captions."""
    root = tmp_path / "renders" / "tash-komur-2026" / "2026Q1"
    social = root / "men-para-berbeym-social" / "ky"
    poster = root / "men-para-berbeym-poster" / "ru"
    video = root / "what-is-a-bribe-video" / "ky"
    for folder in (social, poster, video):
        folder.mkdir(parents=True)
    Image.new("RGB", (108, 192), (11, 95, 165)).save(social / "story.png")
    Image.new("RGB", (100, 141), (242, 183, 5)).save(poster / "a4.png")
    (poster / "a4.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")  # only linked, never loaded by the page
    mp4 = video / "youtube.mp4"
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), *FFMPEG_TINY_MP4.split(), str(mp4)], check=True, timeout=30)
    (video / "youtube.vtt").write_text(VTT, encoding="utf-8")
    (video / "youtube.srt").write_text("1\n00:00:00,000 --> 00:00:00,700\nПара деген эмне?\n", encoding="utf-8")
    url = "https://tash-komur.example/report?src=qr&d=x&f=story&l=ky&q=2026Q1"
    voiced = {"synthetic": True, "voice_engine": "espeak"}
    renders = [
        _entry(root, "men-para-berbeym-social/ky/story.png", "image", width_px=108, height_px=192, qr_url=url),
        _entry(root, "men-para-berbeym-poster/ru/a4.pdf", "print", width_px=2480, height_px=3508, dpi=300),
        _entry(root, "men-para-berbeym-poster/ru/a4.png", "proof", width_px=100, height_px=141),
        _entry(
            root,
            "what-is-a-bribe-video/ky/youtube.mp4",
            "video",
            width_px=192,
            height_px=108,
            duration_s=1.5,
            disclosure=["visible-badge", "spoken", "xmp", "c2pa"],
            qr_url=url,
            captions=["youtube.srt", "youtube.vtt"],
            **voiced,
        ),
        _entry(root, "what-is-a-bribe-video/ky/youtube.srt", "captions", **voiced),
        _entry(root, "what-is-a-bribe-video/ky/youtube.vtt", "captions", **voiced),
    ]
    manifest = {
        "campaign": "tash-komur-2026",
        "quarter": "2026Q1",
        "studio_version": "0.1.0",
        "generated_at": "2026-03-20T09:00:00+00:00",
        "renders": renders,
    }
    (root / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    return root


def _manifest(quarter_dir: Path) -> Manifest:
    return load_manifest(quarter_dir / "manifest.json")


def _open(browser: DevTools, url: str) -> tuple[dict[str, Any], list[str], list[str]]:
    """Load ``url`` in a fresh tab; return the probe's findings, the console errors and every requested URL."""
    target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    try:
        for domain in ("Page", "Runtime", "Log", "Network"):
            browser.send(f"{domain}.enable", session=session)
        start = len(browser.events)
        browser.send("Page.navigate", {"url": url}, session=session)
        browser.wait_for(lambda e: e.get("sessionId") == session and e.get("method") == "Page.loadEventFired")
        result = browser.send(
            "Runtime.evaluate", {"expression": PROBE_JS, "awaitPromise": True, "returnByValue": True}, session=session
        )
        if "exceptionDetails" in result:
            raise AssertionError(f"probe failed: {result['exceptionDetails']}")
        events = [e for e in browser.events[start:] if e.get("sessionId") == session]
    finally:
        browser.send("Target.closeTarget", {"targetId": target})
    errors = []
    for event in events:
        params = event.get("params", {})
        if event["method"] == "Runtime.exceptionThrown":
            errors.append(str(params["exceptionDetails"]))
        elif event["method"] == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            errors.append(str(params.get("args")))
        elif event["method"] == "Log.entryAdded" and params["entry"]["level"] == "error":
            errors.append(f"{params['entry'].get('url')}: {params['entry']['text']}")
        elif event["method"] == "Network.loadingFailed" and not params.get("canceled"):
            errors.append(f"request failed: {params.get('errorText')} {params.get('blockedReason', '')}")
    requests = [e["params"]["request"]["url"] for e in events if e["method"] == "Network.requestWillBeSent"]
    return result["result"]["value"], errors, requests


def _check_page(found: dict[str, Any], errors: list[str], requests: list[str], base: str) -> None:
    assert errors == [], errors
    # Everything the page fetched is in the quarter folder: no fonts, scripts or trackers from elsewhere
    # (data: URLs are the browser's own video-control icons, not requests).
    assert requests and all(url.startswith((base, "data:")) for url in requests), requests
    assert len(found["images"]) == 2
    for image in found["images"]:
        assert image["width"] > 0, image
    [video] = found["videos"]
    assert video["readyState"] >= 1 and video["error"] is None, video
    assert video["decoded"] and (video["width"], video["height"]) == (192, 108), video
    assert abs(video["duration"] - 1.5) < 0.2, video
    [track] = video["tracks"]
    assert track["kind"] == "captions" and track["language"] == "ky"
    assert track["cues"] == 2 and track["first"] == "Пара деген эмне?", track


@pytest.mark.slow
def test_gallery_loads_in_chromium_over_http(browser: DevTools, quarter_dir: Path, served: str) -> None:
    """Served by a web server, the page links the caption files themselves."""
    page = build_gallery(_manifest(quarter_dir), FAILURES, TITLE)
    assert 'src="what-is-a-bribe-video/ky/youtube.vtt"' in page
    (quarter_dir / "index.html").write_text(page, encoding="utf-8")
    found, errors, requests = _open(browser, served + "index.html")
    _check_page(found, errors, requests, served)
    assert served + "what-is-a-bribe-video/ky/youtube.vtt" in requests


@pytest.mark.slow
def test_gallery_captions_show_when_opened_from_disk(browser: DevTools, quarter_dir: Path) -> None:
    """Chromium will not load a track file into a file: page; the written gallery inlines the captions."""
    write_gallery(quarter_dir, _manifest(quarter_dir), FAILURES, TITLE)
    base = quarter_dir.as_uri() + "/"
    found, errors, requests = _open(browser, base + "index.html")
    _check_page(found, errors, requests, base)


def test_gallery_escapes_manifest_text(quarter_dir: Path) -> None:
    """Text from the manifest and the failures is shown, never interpreted as markup."""
    page = build_gallery(
        _manifest(quarter_dir),
        [{"deliverable": "x", "language": "ky", "format": "story", "error": "<script>alert(1)</script>"}],
        "<b>title</b>",
    )
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "<b>title</b>" not in page and "&lt;b&gt;title&lt;/b&gt;" in page
