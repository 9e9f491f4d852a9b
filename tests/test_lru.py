"""The byte-budgeted cache shared by character packs and the stills' text masks."""

from __future__ import annotations

import threading

from PIL import Image

from studio.lru import SizedLRU


def test_the_least_recently_used_go_first_beyond_the_budget() -> None:
    cache: SizedLRU[int, Image.Image] = SizedLRU(budget=3 * 100)  # three 10 × 10 grey pictures
    pictures = {k: Image.new("L", (10, 10), k) for k in range(5)}
    for k in (0, 1, 2):
        assert cache.keep(k, pictures[k], 100) is pictures[k]
    assert cache.get(0) is pictures[0]  # used again: 1 is now the least recently used
    cache.keep(3, pictures[3], 100)
    assert cache.get(1) is None and [cache.get(k) is pictures[k] for k in (0, 2, 3)] == [True] * 3
    assert cache.used == 300 and len(cache) == 3
    # a key kept twice keeps the first value; a value over the whole budget is still held alone
    assert cache.keep(0, Image.new("L", (10, 10), 99), 100) is pictures[0]
    big = Image.new("L", (30, 30))
    assert cache.keep(4, big, 900) is big and len(cache) == 1 and cache.used == 900


def test_threads_keeping_the_same_key_all_go_on_with_the_first_value() -> None:
    cache: SizedLRU[str, object] = SizedLRU(budget=1 << 20)
    start = threading.Barrier(8)
    got: list[object] = []

    def keep() -> None:
        mine = object()
        start.wait()
        got.append(cache.keep("k", mine, 10))

    threads = [threading.Thread(target=keep) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(v) for v in got}) == 1 and cache.get("k") is got[0] and cache.used == 10
