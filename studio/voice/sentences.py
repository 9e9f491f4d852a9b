"""Sentence splitting for Kyrgyz, Russian and English text (pure).

A sentence ends at ``.``, ``!``, ``?`` or ``…`` (closing quotes and brackets stay with it)
when the next sentence starts with a capital letter or a digit, and always at a blank
line. Known abbreviations that precede what they qualify (``т.е.``, ``ул.``, ``Dr.``,
Kyrgyz postposed ``ш.``, ``көч.``) and initials (``А. Садыров``) never end a sentence;
``г.`` ends one only after a year ("в 2026 г. Потом…"), not before a city ("г. Ош").
Abbreviations that often close a sentence (``т.б.``, ``ж.б.``, ``и т.д.``, ``etc.``) end
one when a capital follows. A lowercase word after a terminator continues the sentence
(«Кайда?» — деди ал).
"""

from __future__ import annotations

import re

NON_FINAL_ABBREVIATIONS = frozenset(
    {
        # Russian
        "т.е.", "т.к.", "т.н.", "напр.", "см.", "ср.", "ул.", "пр.", "просп.", "пер.", "д.",
        "кв.", "им.", "тел.", "стр.", "с.", "п.", "ст.", "рис.", "гр.", "проф.", "акад.",
        "доц.", "ген.", "обл.", "р-н.",
        # Kyrgyz (address words follow the name: "Таш-Көмүр ш., Ленин көч.")
        "ш.", "көч.", "р.", "мис.", "б.а.", "мкр.",
        # English
        "mr.", "mrs.", "ms.", "dr.", "prof.", "st.", "no.", "e.g.", "i.e.", "vs.", "cf.", "fig.",
    }
)  # fmt: skip
_YEAR_ABBREVIATIONS = frozenset({"г.", "гг."})

_PARAGRAPH = re.compile(r"\n\s*\n")
_BOUNDARY = re.compile(r"[.!?…]+[\"'»”’)\]]*(?=\s)")
_OPENING = re.compile(r"\s*[«\"„“‘(\[—–-]*\s*")
_TOKEN_START = re.compile(r"\S*$")
_INITIAL = re.compile(r"[A-ZА-ЯЁӨҮҢ]\.")
_LEADING_PUNCTUATION = '«"„“‘(['


def _ends_sentence(text: str, match: re.Match[str]) -> bool:
    following = _OPENING.match(text, match.end())
    position = following.end() if following else match.end()
    if position >= len(text):
        return True
    if not (text[position].isupper() or text[position].isdigit()):
        return False
    if match.group(0).rstrip("\"'»”’)]") != ".":
        return True  # "!", "?", "…", "..." before a capital
    token_match = _TOKEN_START.search(text, 0, match.start())
    token = (token_match.group(0) if token_match else "").lstrip(_LEADING_PUNCTUATION) + "."
    if token.lower() in NON_FINAL_ABBREVIATIONS or _INITIAL.fullmatch(token):
        return False
    if token.lower() in _YEAR_ABBREVIATIONS:
        previous = text[: match.start() - len(token) + 1].split()
        return bool(previous) and previous[-1][-4:].isdigit()
    return True


def split_sentences(text: str) -> list[str]:
    """Split text into sentences, each with its whitespace collapsed; empty text gives []."""
    sentences: list[str] = []
    for paragraph in _PARAGRAPH.split(text):
        start = 0
        for match in _BOUNDARY.finditer(paragraph):
            if _ends_sentence(paragraph, match):
                sentences.append(paragraph[start : match.end()])
                start = match.end()
        sentences.append(paragraph[start:])
    return [" ".join(sentence.split()) for sentence in sentences if sentence.strip()]
