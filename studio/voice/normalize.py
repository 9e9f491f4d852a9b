"""Text as it should be spoken (pure): look-alike letters, a pronunciation lexicon, numbers.

Order: look-alike letters are folded (so lexicon entries match however the text was
typed), then the campaign lexicon is applied, then phone numbers, then the language's
numbers: ``kyrgyz-normalizer`` for ky, `studio.voice.russian` for ru. English numbers,
dates and percentages are left to espeak-ng, which reads them acceptably.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

from num2words import num2words

from studio.errors import VoiceError
from studio.letters import LOOKALIKES, fold_lookalikes  # noqa: F401 — re-exported for studio.voice
from studio.voice.russian import normalize_russian

LANGUAGES = ("ky", "ru", "en")

# Fixes applied before kyrgyz-normalizer, which reads "т.б." as "тагыраак болсо" ("more
# precisely"); in Kyrgyz text it abbreviates "тагы башкалар" ("and others").
_KYRGYZ_FIXES: Mapping[str, str] = {"т.б.": "тагы башкалар"}


@lru_cache(maxsize=64)
def _lexicon_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    # Longest first, so "Таш-Көмүр шаары" wins over "Таш-Көмүр".
    alternation = "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternation})(?!\w)", re.IGNORECASE)


def apply_lexicon(text: str, lexicon: Mapping[str, str]) -> str:
    """Replace whole words (case-insensitive) by their spoken form, in one pass.

    One pass means a spoken form is never itself looked up again.
    """
    if not lexicon:
        return text
    spoken = {fold_lookalikes(word).casefold(): form for word, form in lexicon.items() if word.strip()}
    if not spoken:
        return text
    pattern = _lexicon_pattern(tuple(spoken))
    return pattern.sub(lambda m: spoken.get(m.group(0).casefold(), m.group(0)), text)


# --- phone numbers ----------------------------------------------------------------------

# A run of digit groups joined by single spaces, hyphens or parentheses, maybe after "+".
_DIGIT_RUN = re.compile(r"(?<![\w+])\+?(?:\d|\(\d)[\d()\- ]*\d(?!\w)")
_GROUP = re.compile(r"\d+")
_PHONE_WORDS = {"ky": ("плюс", "нөл"), "ru": ("плюс", "ноль"), "en": ("plus", "zero")}


@lru_cache(maxsize=1)
def _kyrgyz_normalizer() -> Any:
    # Built once: it compiles some hundred patterns.
    from kyrgyz_normalizer import KyrgyzTextNormalizer

    return KyrgyzTextNormalizer()


def _number_words(lang: str) -> Callable[[int], str]:
    if lang == "ky":
        return lambda n: str(_kyrgyz_normalizer().number_to_words(n))
    return lambda n: str(num2words(n, lang=lang))


def _is_date(run: str, groups: list[str]) -> bool:
    """01-05-2026: day, month, year."""
    if len(groups) != 3 or "(" in run or run.startswith("+") or len(groups[2]) != 4:
        return False
    return 1 <= int(groups[0]) <= 31 and 1 <= int(groups[1]) <= 12


def _is_phone(run: str, groups: list[str]) -> bool:
    digits = sum(len(group) for group in groups)
    if _is_date(run, groups):
        return False
    if run.startswith("+"):
        return digits >= 6
    if "(" in run:
        return digits >= 5
    if run.startswith("0") and digits >= 6:  # trunk prefix: 0555 123 456, 0 3735 51234
        return True
    return len(groups) >= 3 and "-" in run  # 5-12-34


def _say_group(group: str, say: Callable[[int], str], zero: str) -> list[str]:
    """Leading zeros one by one, then up to three digits as a number, longer runs in pairs."""
    words: list[str] = []
    rest = group.lstrip("0")
    words.extend([zero] * (len(group) - len(rest)))
    if len(rest) <= 3:
        return words + ([say(int(rest))] if rest else [])
    head = 3 if len(rest) % 2 else 2
    chunks = [rest[:head]] + [rest[i : i + 2] for i in range(head, len(rest), 2)]
    for chunk in chunks:
        words.append(" ".join(_say_group(chunk, say, zero)))
    return words


def read_phone_numbers(text: str, lang: str) -> str:
    """Read phone-like digit strings ("+996 555 123 456", "(03735) 5-12-34") group by group.

    A run counts as a phone number when it starts with "+" or a trunk "0", has an area
    code in parentheses, or has three or more hyphenated groups that are not a date;
    "1 500 000" stays a number. Groups are read as numbers, with a comma between them
    so the voice pauses as a person reading a number aloud would.
    """
    plus, zero = _PHONE_WORDS[lang]
    say = _number_words(lang)

    def replace(match: re.Match[str]) -> str:
        run = match.group(0)
        groups = _GROUP.findall(run)
        if not _is_phone(run, groups):
            return run
        spoken = [plus] if run.startswith("+") else []
        for group in groups:
            spoken.extend(_say_group(group, say, zero))
        return ", ".join(spoken)

    return _DIGIT_RUN.sub(replace, text)


# kyrgyz-normalizer takes a full stop after "жыл"/"жылы" for part of an abbreviation and
# drops it; a space keeps it apart, and is removed again afterwards.
_FULL_STOP_AFTER_YEAR_WORD = re.compile(r"(?<=жыл)(ы?)([.!?…])", re.IGNORECASE)
_SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+([.,!?…])")


def _normalize_kyrgyz(text: str) -> str:
    guarded = _FULL_STOP_AFTER_YEAR_WORD.sub(r"\1 \2", apply_lexicon(text, _KYRGYZ_FIXES))
    said = _SPACE_BEFORE_PUNCTUATION.sub(r"\1", str(_kyrgyz_normalizer().normalize(guarded)))
    # A sentence-final abbreviation ("2026-ж.") loses its full stop, and with it the
    # falling intonation at the end of the sentence: put it back.
    ending = text.rstrip()[-1:]
    if ending in ".!?…" and ending and not said.endswith(ending):
        said += ending
    return said


def normalize_for_speech(text: str, lang: str, lexicon: Mapping[str, str] | None = None) -> str:
    """Turn written text into what the voice should say, for ky, ru or en.

    `lexicon` maps a word (matched whole, case-insensitively) to how it is said; it is
    applied before numbers are read.
    """
    if lang not in LANGUAGES:
        raise VoiceError(f'cannot normalise text in language "{lang}"; known: {", ".join(LANGUAGES)}')
    text = fold_lookalikes(text)
    text = apply_lexicon(text, lexicon or {})
    text = read_phone_numbers(text, lang)
    if lang == "ky":
        text = _normalize_kyrgyz(text)
    elif lang == "ru":
        text = normalize_russian(text)
    return " ".join(text.split())
