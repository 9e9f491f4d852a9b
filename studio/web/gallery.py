"""The design gallery's pictures, drawn in worker processes ahead of the browser asking for them.

When the gallery page is served, every picture not yet on disk is queued, in the page's order; the
browser's requests then wait for their own picture (or find it drawn). Drawing is CPU-bound Python and
Pillow: threads would take turns at the interpreter lock, so pictures are drawn in processes, one per
core (at most 4), each keeping its campaign's validated samples between pictures. Pictures are kept in
``renders/.cache/gallery`` (``editor.gallery_picture``): a second visit, or the next server, reads them.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import threading
from collections.abc import Iterable
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from studio.errors import StudioError
from studio.web.editor import CampaignSource, draw_gallery_picture, gallery_cached, gallery_samples

Card = tuple[str, str, str]  # (kind, design, format)


class GalleryDrawer:
    def __init__(self, cache_dir: Path, workers: int | None = None) -> None:
        self.cache_dir = cache_dir
        self.workers = workers or max(1, min(4, os.cpu_count() or 1))
        self._executor: Executor | None = None
        self._pending: dict[tuple[str, str, str, str, str], Future[bytes]] = {}
        self._lock = threading.RLock()

    def _pool(self) -> Executor:
        if self._executor is None:
            try:
                # "spawn": the server has threads, and a forked copy of them could hold a lock forever.
                context = multiprocessing.get_context("spawn")
                self._executor = ProcessPoolExecutor(self.workers, mp_context=context)
            except (OSError, RuntimeError):
                self._executor = ThreadPoolExecutor(1)  # no processes here: one thread, in order
        return self._executor

    def submit(self, campaign: Path, kind: str, design: str, fmt: str, lang: str) -> Future[bytes]:
        """The drawing of one picture: the one already queued, or a new one."""
        key = (str(campaign), kind, design, fmt, lang)
        with self._lock:
            future = self._pending.get(key)
            if future is not None:
                return future
            try:
                future = self._pool().submit(draw_gallery_picture, *key, str(self.cache_dir))
            except (BrokenProcessPool, RuntimeError):
                self._executor = ThreadPoolExecutor(1)  # processes cannot start here: draw in a thread
                future = self._executor.submit(draw_gallery_picture, *key, str(self.cache_dir))
            self._pending[key] = future
        # Outside the lock: a picture already drawn runs its callback at once, in this thread.
        future.add_done_callback(lambda done: self._forget(key, done))
        return future

    def _forget(self, key: tuple[str, str, str, str, str], done: Future[bytes]) -> None:
        with self._lock:
            if self._pending.get(key) is done:
                del self._pending[key]  # drawn (now on disk) or failed (asked again, it fails again)

    def prefetch(self, source: CampaignSource, cards: Iterable[Card], lang: str) -> None:
        """Queue every card not yet on disk, in order (called while the gallery page loads)."""
        try:
            gallery_samples(source)
        except StudioError:
            return  # the pictures' own requests say so, one by one
        for kind, design, fmt in cards:
            try:
                if gallery_cached(source, kind, design, fmt, lang, self.cache_dir) is None:
                    self.submit(source.path, kind, design, fmt, lang)
            except StudioError:
                continue

    async def picture(self, source: CampaignSource, kind: str, design: str, fmt: str, lang: str) -> bytes:
        """A picture from disk, or drawn (raises StudioError when the design cannot be pictured in ``fmt``)."""
        data = await asyncio.to_thread(gallery_cached, source, kind, design, fmt, lang, self.cache_dir)
        if data is not None:
            return data
        try:
            return await asyncio.wrap_future(self.submit(source.path, kind, design, fmt, lang))
        except BrokenProcessPool:
            # A worker died (out of memory?): start the pool anew; this picture is drawn in a thread.
            with self._lock:
                self._executor = None
            return await asyncio.to_thread(
                draw_gallery_picture, str(source.path), kind, design, fmt, lang, str(self.cache_dir)
            )

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None
