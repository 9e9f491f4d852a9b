"""Running the ffmpeg binary: locating it, reporting progress, turning failures into EncodeError."""

from __future__ import annotations

import subprocess
import tempfile
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from studio.errors import EncodeError

#: Called with the fraction done, 0.0 .. 1.0.
Progress = Callable[[float], None]


def ffmpeg_exe(configured: str | None = None) -> str:
    """The ffmpeg binary: ``configured`` if given, else the one bundled with imageio-ffmpeg."""
    if configured:
        return configured
    try:
        import imageio_ffmpeg
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise EncodeError("imageio-ffmpeg is not installed; it provides the ffmpeg binary") from exc
    return str(imageio_ffmpeg.get_ffmpeg_exe())


def find_ffmpeg_early() -> None:
    """Look for the bundled ffmpeg binary in the background: imageio-ffmpeg runs it once to check it
    (up to 0.2 s, most of it loading the binary), which then overlaps the work before the first encode."""
    threading.Thread(target=ffmpeg_exe, name="find-ffmpeg", daemon=True).start()


def _tail(text: str, lines: int = 12) -> str:
    kept = [line for line in text.strip().splitlines() if line.strip()]
    return "\n".join(kept[-lines:])


def run_ffmpeg(
    exe: str,
    args: Sequence[str],
    *,
    cwd: Path | None = None,
    total_frames: int = 0,
    progress: Progress | None = None,
    what: str = "ffmpeg",
) -> None:
    """Run ``exe args``; raise EncodeError with ffmpeg's last messages if it fails.

    With ``progress`` and ``total_frames``, ffmpeg's ``-progress`` report is read as it runs.
    stderr goes to a temporary file, so a chatty ffmpeg can never block on a full pipe.
    """
    command = [exe, "-hide_banner", "-nostdin", "-loglevel", "error"]
    if progress is not None:
        command += ["-progress", "pipe:1", "-nostats"]
    command += list(args)
    with tempfile.TemporaryFile(mode="w+b") as errors:
        try:
            proc = subprocess.Popen(
                command,
                cwd=cwd,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE if progress is not None else subprocess.DEVNULL,
                stderr=errors,
            )
        except OSError as exc:
            raise EncodeError(f"{what}: cannot run {exe}: {exc}") from exc
        try:
            if proc.stdout is not None and progress is not None:
                for raw in proc.stdout:
                    key, _, value = raw.decode("ascii", "replace").strip().partition("=")
                    if key == "frame" and total_frames > 0 and value.isdigit():
                        progress(min(1.0, int(value) / total_frames))
            code = proc.wait()
        except BaseException:
            proc.kill()
            proc.wait()
            raise
        if code != 0:
            errors.seek(0)
            message = _tail(errors.read().decode("utf-8", "replace")) or "no message"
            raise EncodeError(f"{what} failed (exit code {code}):\n{message}")
    if progress is not None:
        progress(1.0)


def run_ffmpeg_pipe(exe: str, args: Sequence[str], data: bytes = b"", *, what: str = "ffmpeg") -> bytes:
    """Run ffmpeg with ``data`` on stdin and return its stdout (for small audio conversions)."""
    command = [exe, "-hide_banner", "-loglevel", "error", *(() if data else ("-nostdin",)), *args]
    try:
        proc = subprocess.run(command, input=data, capture_output=True, check=False)
    except OSError as exc:
        raise EncodeError(f"{what}: cannot run {exe}: {exc}") from exc
    if proc.returncode != 0:
        message = _tail(proc.stderr.decode("utf-8", "replace")) or "no message"
        raise EncodeError(f"{what} failed (exit code {proc.returncode}):\n{message}")
    return proc.stdout
