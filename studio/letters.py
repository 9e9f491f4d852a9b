"""Look-alike letters: code points that look like Kyrgyz ң ө ү but are other letters. Pure.

They come from Kazakh, Bashkir, Altai or Old Russian keyboard layouts and old documents. A voice
spells them out by name, a font may draw them differently, and a reader sees a wrong letter on a
poster. The studio corrects them wherever text comes in (the campaign file, rendered scripts), so
every banner, caption, subtitle, report and voice shows the Kyrgyz letter, and says so once per run.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

LOOKALIKES: Mapping[str, str] = {
    "\u04a5": "ң", "\u04a4": "Ң",  # ҥ Ҥ  en-ghe ligature
    "\u04ca": "ң", "\u04c9": "Ң",  # ӊ Ӊ  en with tail
    "\u04c8": "ң", "\u04c7": "Ң",  # ӈ Ӈ  en with hook
    "\u0473": "ө", "\u0472": "Ө",  # ѳ Ѳ  fita
    "\u04eb": "ө", "\u04ea": "Ө",  # ӫ Ӫ  barred o with diaeresis
    "\u04e7": "ө", "\u04e6": "Ө",  # ӧ Ӧ  o with diaeresis
    "\u04f1": "ү", "\u04f0": "Ү",  # ӱ Ӱ  u with diaeresis
    "\u04b1": "ү", "\u04b0": "Ү",  # ұ Ұ  straight u with stroke (Kazakh)
}  # fmt: skip
_TABLE = str.maketrans({k: v for k, v in LOOKALIKES.items() if k != v})


def fold_lookalikes(text: str) -> str:
    """Replace look-alike code points with the Kyrgyz letters ң ө ү (Ң Ө Ү)."""
    return text.translate(_TABLE)


def lookalikes_in(text: str) -> Counter[str]:
    """How often each look-alike letter occurs in ``text``."""
    return Counter(ch for ch in text if ch in LOOKALIKES and LOOKALIKES[ch] != ch)


def describe(found: Mapping[str, int]) -> str:
    """``"ҥ" (U+04A5) → "ң" ×2, "ѳ" (U+0473) → "ө"`` for a notice."""
    parts = []
    for ch, n in sorted(found.items()):
        parts.append(f'"{ch}" (U+{ord(ch):04X}) → "{LOOKALIKES[ch]}"' + (f" ×{n}" if n > 1 else ""))
    return ", ".join(parts)
