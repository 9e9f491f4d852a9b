"""Russian numbers as words, on top of num2words (pure).

What is handled, and how far it is right:

- dates: ``1 мая [2026 года|г.]`` and ``01.05.2026`` → "первого мая две тысячи двадцать
  шестого года". The day is genitive ("первого") unless a preposition before it asks
  otherwise: на/по/за → accusative ("на первое мая"), к → dative ("к первому мая").
  A bare date opening a sentence ("1 мая — праздник") is also read genitive: approximate.
- years: ``2026 год/года/году/годом`` and ``2026 г.`` → ordinal agreeing with the written
  noun ("в две тысячи двадцать шестом году"); for ``г.`` the case comes from the
  preposition (в → году, с/до/от → года, за/на → год, default года).
- ordinals with a suffix: ``1-го``, ``5-й``, ``3-я``, ``2-е``, ``10-м``, ``7-ю``, ``90-х``…
  The suffix picks case and gender. Ambiguous suffixes take the commonest reading:
  ``-й`` masculine nominative, ``-м`` prepositional (not instrumental), ``-х`` cardinal genitive
  after 2, 3, 4 ("2-х" → "двух") and plural ordinal otherwise ("90-х" → "девяностых").
- percentages ``15%`` and amounts ``5 млн``, ``3 тыс.`` → number and noun agreeing in
  number and case ("пятнадцать процентов", "более пяти миллионов"). Decimal numbers stay
  nominative with a genitive singular noun ("три целых пять десятых процента").
- times ``10:00``, ``9:05``, ``18:30`` → "десять ноль-ноль", "девять ноль пять", "восемнадцать тридцать",
  hours and minutes in the case a preposition governs ("до восемнадцати тридцати").
- other numbers → cardinals; in the case a preceding preposition governs (до/от/с/более…
  → genitive, к → dative, о/при → prepositional), else nominative, masculine except before
  "тысяч…". Feminine nouns ("2 недели" → "два недели") are not known: use the lexicon or
  write the number out. Ranges (``10-15``, ``2020–2026 гг.``) read as separate numbers.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from num2words import num2words

_MONTHS = (
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
)  # fmt: skip

# Case a preposition (or a comparative) governs for a following numeral.
_PREPOSITION_CASE: dict[str, str] = {
    **dict.fromkeys(
        "до от с со из после около более менее свыше больше меньше без для кроме у среди против "
        "порядка начиная".split(),
        "g",
    ),
    **dict.fromkeys("к ко благодаря согласно вопреки".split(), "d"),
    **dict.fromkeys("на по за про через".split(), "a"),
    **dict.fromkeys("о об при".split(), "p"),
}
# "в" is left out above: "в 5 раз" (accusative) and "в 5 школах" (prepositional) differ.
# Before "г." ("в 2026 г.", "в г. Ош") it can only mean prepositional "году", "городе".
_CASE_BEFORE_ABBREVIATION = {**_PREPOSITION_CASE, "в": "p", "во": "p"}
_PREVIOUS_WORD = re.compile(r"(\w+)\s+$")
_NOT_AFTER = r"(?<![\w.,])"


def _case_before(match: re.Match[str], default: str, governs: dict[str, str] = _PREPOSITION_CASE) -> str:
    """The case the word just before `match` governs, or `default`."""
    before = _PREVIOUS_WORD.search(match.string[max(0, match.start() - 30) : match.start()])
    return governs.get(before.group(1).lower(), default) if before else default


def _period_if_final(match: re.Match[str]) -> str:
    """Keep a sentence's final full stop that an abbreviation ("г.", "млн.") swallowed."""
    if not match.group(0).endswith("."):
        return ""
    rest = match.string[match.end() :].lstrip()
    return "." if not rest or rest[0].isupper() else ""


def _cardinal(number: int | float, case: str = "n", gender: str = "m") -> str:
    if isinstance(number, float):
        return str(num2words(number, lang="ru"))
    # Accusative of an inanimate count is its nominative.
    return str(num2words(number, lang="ru", case="n" if case == "a" else case, gender=gender))


def _ordinal(number: int, case: str, gender: str = "m", plural: bool = False) -> str:
    return str(num2words(number, lang="ru", to="ordinal", case=case, gender=gender, plural=plural, animate=False))


@dataclass(frozen=True)
class _Noun:
    """A counted noun: singular and plural by case, and the nominative after 2–4."""

    gender: str
    singular: dict[str, str]
    plural: dict[str, str]
    few: str

    def counted(self, number: int | float, case: str) -> str:
        case = "n" if case == "a" else case
        if isinstance(number, float):
            return self.singular["g"]
        one = number % 10 == 1 and number % 100 != 11
        if case != "n":
            return self.singular[case] if one else self.plural[case]
        if one:
            return self.singular["n"]
        if number % 10 in (2, 3, 4) and number % 100 not in (12, 13, 14):
            return self.few
        return self.plural["g"]


def _paradigm(forms: str) -> dict[str, str]:
    return dict(zip("ngdpi", forms.split(), strict=True))


_PERCENT = _Noun(
    "m",
    _paradigm("процент процента проценту проценте процентом"),
    _paradigm("проценты процентов процентам процентах процентами"),
    "процента",
)
_SCALES = {
    "тыс": _Noun(
        "f",
        _paradigm("тысяча тысячи тысяче тысяче тысячей"),
        _paradigm("тысячи тысяч тысячам тысячах тысячами"),
        "тысячи",
    ),
    "млн": _Noun(
        "m",
        _paradigm("миллион миллиона миллиону миллионе миллионом"),
        _paradigm("миллионы миллионов миллионам миллионах миллионами"),
        "миллиона",
    ),
    "млрд": _Noun(
        "m",
        _paradigm("миллиард миллиарда миллиарду миллиарде миллиардом"),
        _paradigm("миллиарды миллиардов миллиардам миллиардах миллиардами"),
        "миллиарда",
    ),
}


def _count(number: int | float, noun: _Noun, case: str) -> str:
    return f"{_cardinal(number, case, noun.gender)} {noun.counted(number, case)}"


def _number(text: str) -> int | float:
    digits = re.sub(r"\s", "", text)
    return float(digits.replace(",", ".")) if "," in digits else int(digits)


# --- abbreviations ------------------------------------------------------------------------

_ABBREVIATIONS = [
    (re.compile(r"(?<!\w)т\.\s?е\.", re.IGNORECASE), "то есть"),
    (re.compile(r"(?<!\w)т\.\s?д\.", re.IGNORECASE), "так далее"),
    (re.compile(r"(?<!\w)т\.\s?п\.", re.IGNORECASE), "тому подобное"),
    (re.compile(r"(?<!\w)т\.\s?к\.", re.IGNORECASE), "так как"),
    (re.compile(r"(?<!\w)др\.", re.IGNORECASE), "другие"),
]


def _say_abbreviation(spoken: str) -> Callable[[re.Match[str]], str]:
    return lambda match: spoken + _period_if_final(match)


def _expand_abbreviations(text: str) -> str:
    for pattern, spoken in _ABBREVIATIONS:
        text = pattern.sub(_say_abbreviation(spoken), text)
    return text


# --- dates and years --------------------------------------------------------------------------

_MONTH_ALTERNATION = "|".join(_MONTHS)
_YEAR_TAIL = r"(?:\s+(?P<year>\d{4})(?:\s*(?:года|г\.|г(?!\w)))?)?"
_DATE_WORDS = re.compile(
    rf"{_NOT_AFTER}(?P<day>\d{{1,2}})\s+(?P<month>{_MONTH_ALTERNATION}){_YEAR_TAIL}(?!\w)", re.IGNORECASE
)
# The first day of "с 1 по 15 мая" is a date too, though its month is written once.
_RANGE_START_DAY = re.compile(
    rf"{_NOT_AFTER}(?P<day>\d{{1,2}})(?=\s+(?:по|до)\s+\d{{1,2}}\s+(?:{_MONTH_ALTERNATION})(?!\w))",
    re.IGNORECASE,
)
_DATE_NUMERIC = re.compile(
    rf"{_NOT_AFTER}(?P<day>\d{{1,2}})\.(?P<month>\d{{1,2}})\.(?P<year>\d{{4}})(?:\s*г\.)?(?![\d]|\.\d)"
)


def _say_date(match: re.Match[str], day: int, month: int, year: str | None) -> str:
    case = _case_before(match, "g")
    words = f"{_ordinal(day, case, 'n')} {_MONTHS[month - 1]}"
    if year:
        words += f" {_ordinal(int(year), 'g')} года"
    return words + _period_if_final(match)


def _date_words(match: re.Match[str]) -> str:
    day = int(match.group("day"))
    month = _MONTHS.index(match.group("month").lower()) + 1
    if not 1 <= day <= 31:
        return match.group(0)
    return _say_date(match, day, month, match.group("year"))


def _date_numeric(match: re.Match[str]) -> str:
    day, month = int(match.group("day")), int(match.group("month"))
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return match.group(0)
    return _say_date(match, day, month, match.group("year"))


_YEAR = re.compile(
    rf"{_NOT_AFTER}(?P<year>\d{{4}})(?:-?(?:м|й|го|ом|ого|ому|му|ый|ой))?\s*"
    r"(?P<noun>году|годом|годе|года|год|г\.|г)(?!\w)"
)
_YEAR_NOUN_CASE = {"год": "n", "года": "g", "году": "p", "годом": "i", "годе": "p"}
_YEAR_NOUN = {"n": "год", "a": "год", "g": "года", "d": "году", "p": "году", "i": "годом"}


def _year(match: re.Match[str]) -> str:
    noun = match.group("noun")
    if noun not in _YEAR_NOUN_CASE:  # "г." or "г": the case comes from the preposition
        case = _case_before(match, "g", _CASE_BEFORE_ABBREVIATION)
    else:
        case = _YEAR_NOUN_CASE[noun]
        if case == "p" and _case_before(match, "p") == "d":  # "к 2026 году"
            case = "d"
    ordinal_case = "n" if case == "a" else case
    return f"{_ordinal(int(match.group('year')), ordinal_case)} {_YEAR_NOUN[case]}" + _period_if_final(match)


_CITY = re.compile(r"(?<![\d\w])(?<!\d\s)[гГ]\.\s*(?=[А-ЯЁ])")
_CITY_BY_CASE = {"n": "город", "a": "город", "g": "города", "d": "городу", "p": "городе"}


def _city(match: re.Match[str]) -> str:
    """Read "г." before a name as город in the case the preposition asks: "в г. Ош" → "в городе Ош"."""
    return _CITY_BY_CASE[_case_before(match, "n", _CASE_BEFORE_ABBREVIATION)] + " "


# --- times of day ---------------------------------------------------------------------------

_TIME = re.compile(rf"{_NOT_AFTER}(?P<h>[01]?\d|2[0-4]):(?P<m>[0-5]\d)(?![\d:])")


def _time(match: re.Match[str]) -> str:
    """ "в 10:00" → "в десять ноль-ноль", "до 18:30" → "до восемнадцати тридцати", "9:05" → "девять ноль пять"."""
    case = _case_before(match, "n")
    hours, minutes = int(match.group("h")), int(match.group("m"))
    said = _cardinal(hours, case)
    if minutes == 0:
        return f"{said} ноль-ноль"
    # Minutes are feminine ("минута"): "десять двадцать одна".
    return f"{said} {'ноль ' if minutes < 10 else ''}{_cardinal(minutes, case, 'f')}"


# --- ordinals with a suffix ----------------------------------------------------------------

_ORDINAL = re.compile(
    rf"{_NOT_AFTER}(?P<n>\d+)-(?P<suffix>ого|его|го|ому|ему|му|ом|ем|м|ый|ий|й|ой|ая|я|ую|ю|ое|ее|е|ей"
    r"|ыми|ими|ми|ых|их|х|ти)(?!\w)"
)
# suffix → (case, gender, plural)
_ORDINAL_FORMS: dict[str, tuple[str, str, bool]] = {
    **dict.fromkeys(("го", "ого", "его"), ("g", "m", False)),
    **dict.fromkeys(("му", "ому", "ему"), ("d", "m", False)),
    **dict.fromkeys(("м", "ом", "ем"), ("p", "m", False)),
    **dict.fromkeys(("й", "ый", "ий"), ("n", "m", False)),
    **dict.fromkeys(("ой", "ей"), ("g", "f", False)),
    **dict.fromkeys(("я", "ая"), ("n", "f", False)),
    **dict.fromkeys(("ю", "ую"), ("a", "f", False)),
    **dict.fromkeys(("е", "ое", "ее"), ("n", "n", False)),
    **dict.fromkeys(("х", "ых", "их"), ("g", "m", True)),
    **dict.fromkeys(("ыми", "ими"), ("i", "m", True)),
}


def _ordinal_with_suffix(match: re.Match[str]) -> str:
    number, suffix = int(match.group("n")), match.group("suffix")
    if suffix in ("ти", "ми"):  # "5-ти", "7-ми": a cardinal in the genitive
        return _cardinal(number, "g")
    if suffix == "х" and number % 10 in (2, 3, 4) and number % 100 not in (12, 13, 14):
        return _cardinal(number, "g")  # "2-х" → "двух"
    case, gender, plural = _ORDINAL_FORMS[suffix]
    return _ordinal(number, case, gender, plural)


# --- counted amounts and plain numbers -----------------------------------------------------

_NUMBER = r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:,\d+)?(?!\d)|\d+(?:,\d+)?"
_PERCENT_SIGN = re.compile(rf"{_NOT_AFTER}(?P<n>{_NUMBER})\s?%")
_SCALED = re.compile(rf"{_NOT_AFTER}(?P<n>{_NUMBER})\s?(?P<scale>тыс|млн|млрд)(?:\.|(?!\w))")
_CARDINAL = re.compile(rf"(?<![\d.,])(?P<n>{_NUMBER})")
_NEXT_WORD = re.compile(r"\s*(\w+)")


def _percent(match: re.Match[str]) -> str:
    return _count(_number(match.group("n")), _PERCENT, _case_before(match, "n"))


def _scaled(match: re.Match[str]) -> str:
    noun = _SCALES[match.group("scale")]
    return _count(_number(match.group("n")), noun, _case_before(match, "n")) + _period_if_final(match)


def _plain_number(match: re.Match[str]) -> str:
    following = _NEXT_WORD.match(match.string, match.end())
    feminine = following is not None and following.group(1).lower().startswith("тысяч")
    return _cardinal(_number(match.group("n")), _case_before(match, "n"), "f" if feminine else "m")


def normalize_russian(text: str) -> str:
    """Read the numbers in Russian `text` as words (see the module docstring for the limits)."""
    text = _expand_abbreviations(text)
    text = _RANGE_START_DAY.sub(lambda m: _ordinal(int(m.group("day")), _case_before(m, "g"), "n"), text)
    text = _DATE_WORDS.sub(_date_words, text)
    text = _DATE_NUMERIC.sub(_date_numeric, text)
    text = _YEAR.sub(_year, text)
    text = _CITY.sub(_city, text)
    text = _TIME.sub(_time, text)
    text = _ORDINAL.sub(_ordinal_with_suffix, text)
    text = _PERCENT_SIGN.sub(_percent, text)
    text = _SCALED.sub(_scaled, text)
    return _CARDINAL.sub(_plain_number, text)
