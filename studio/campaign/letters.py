"""Look-alike letters in a campaign file, corrected as it is read so nothing downstream shows them."""

from __future__ import annotations

from collections import Counter
from typing import Any

from studio.campaign.yamlpos import Loc
from studio.letters import fold_lookalikes, lookalikes_in

#: Fields that are paths, links or names, not text anyone reads: left exactly as written.
_NOT_TEXT: tuple[Loc, ...] = (("brand", "fonts"), ("brand", "logo"), ("reporting", "url"))
_NOT_TEXT_KEYS = {"image", "design", "script", "id", "kind", "formats", "url", "focus"}


def fold_text_fields(data: Any) -> tuple[Any, list[tuple[Loc, Counter[str]]]]:
    """``data`` with look-alike letters folded in every text value, and where they were found."""
    found: list[tuple[Loc, Counter[str]]] = []

    def walk(value: Any, loc: Loc) -> Any:
        if any(loc[: len(skip)] == skip for skip in _NOT_TEXT) or (loc and loc[-1] in _NOT_TEXT_KEYS):
            return value
        if isinstance(value, str):
            counts = lookalikes_in(value)
            if counts:
                found.append((loc, counts))
                return fold_lookalikes(value)
            return value
        if isinstance(value, dict):
            return {k: walk(v, loc + (k,)) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v, loc + (i,)) for i, v in enumerate(value)]
        return value

    return walk(data, ()), found
