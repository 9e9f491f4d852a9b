"""Where a line may not break, in Kyrgyz, Russian and English. Pure.

The line breaker works on units: runs of words that must stay on one line. A unit is a word, or
words joined because breaking between them misleads or reads badly:

- the groups of a number: ``1 000 000`` (a reader seeing "1 ⏎ 000 000 сом" sees one som);
- a number and its unit or currency: ``500 сом``, ``15 %``, ``3 млн``, ``2026 жыл``, ``10 км``;
- "№" and its number: ``№ 12``;
- initials and the surname they belong to: ``А. Б. Осмонов``, ``Осмонов А. Б.``.

Spaces typed as no-break spaces (U+00A0, U+202F, U+2007) never break either.
"""

from __future__ import annotations

import re

#: Spaces a line may break at: ordinary spaces and tabs (no-break spaces are part of a word).
BREAKABLE_SPACE = re.compile(r"[ \t\r\f\v\u2000-\u2006\u2008-\u200a\u3000]+")

_GROUP_HEAD = re.compile(r"^[^\d\s]{0,2}\d{1,3}$")  # "1", "(15", "$250"
_GROUP_TAIL = re.compile(r"^\d{3}(?:[.,]\d+)?\W{0,3}$")  # "000", "000,50", "000)."
_ENDS_IN_NUMBER = re.compile(r"\d(?:[.,]\d+)?$")
_INITIALS = re.compile(r"^(?:[A-ZА-ЯЁӨҮҢ]\.){1,3}$")
_NAME = re.compile(r"^[A-ZА-ЯЁӨҮҢ][a-zа-яёөүңʼ'’-]+[,.;:!?)»\"]*$")
_NUMBER_SIGNS = {"№", "No.", "Nº", "#"}

# Units and currencies that follow a number: exact forms, and stems whose inflections all count.
_UNITS = {
    "%", "‰", "$", "€", "с.", "сом.", "руб.", "р.", "т.", "г.", "гг.", "ж.", "жж.", "тыс.", "млн", "млн.", "млрд",
    "млрд.", "тыс", "км", "м", "см", "мм", "кг", "г", "т", "л", "га", "мин", "мин.", "сек", "сек.", "ч", "ч.", "km",
    "m", "cm", "mm", "kg", "g", "t", "l", "ha", "min", "h", "kgs", "usd", "eur", "som", "soms", "%,", "%.",
}  # fmt: skip
_UNIT_STEMS = (
    "сом", "тыйын", "доллар", "евро", "рубл", "миң", "миллион", "миллиард", "тысяч", "процент", "пайыз", "жыл",
    "год", "лет", "күн", "дн", "день", "ай", "месяц", "саат", "час", "мүнөт", "минут", "секунд", "киши", "человек",
    "адам", "percent", "per", "thousand", "million", "billion", "year", "day", "hour", "minute",
)  # fmt: skip


def _is_unit(word: str) -> bool:
    bare = word.lower().rstrip(',.;:!?)»"')
    return word.lower() in _UNITS or bare in _UNITS or any(bare.startswith(stem) for stem in _UNIT_STEMS)


def _keep_together(left: str, right: str) -> bool:
    """Whether the line may not break between the adjacent words ``left`` and ``right``."""
    if _GROUP_HEAD.match(left) and _GROUP_TAIL.match(right):
        return True
    if left in _NUMBER_SIGNS and right[:1].isdigit():
        return True
    if _ENDS_IN_NUMBER.search(left) and _is_unit(right):
        return True
    if _INITIALS.match(left) and (_NAME.match(right) or _INITIALS.match(right)):
        return True
    return bool(_NAME.match(left) and not left.endswith((",", ".", ";", ":")) and _INITIALS.match(right.rstrip(",;:")))


def units(paragraph: str) -> list[str]:
    """The paragraph's words, with those that must stay on one line joined by a space."""
    words = [w for w in BREAKABLE_SPACE.split(paragraph) if w]
    out: list[str] = []
    for i, word in enumerate(words):
        if out and _keep_together(words[i - 1], word):
            out[-1] = f"{out[-1]} {word}"
        else:
            out.append(word)
    return out
