"""Text as it is said: look-alike letters, the campaign lexicon, numbers in ky and ru."""

from __future__ import annotations

import pytest

from studio.errors import VoiceError
from studio.voice import apply_lexicon, fold_lookalikes, normalize_for_speech
from studio.voice.normalize import read_phone_numbers


def test_lookalike_letters_become_kyrgyz_letters() -> None:
    typed = "\u04a5 \u04ca \u0473 \u04f1 \u04a4 \u04c9 \u0472 \u04f0"
    assert fold_lookalikes(typed) == "ң ң ө ү Ң Ң Ө Ү"
    assert normalize_for_speech("Жа\u04a5ы К\u0473м\u04f1р", "ky") == "Жаңы Көмүр"


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        ("1-май күнү митинг болот.", "биринчи май күнү митинг болот."),
        ("2026-жылы бюджет өстү.", "эки миң жыйырма алтынчы жылы бюджет өстү."),
        ("Бюджеттин 15% уурдалган.", "Бюджеттин он беш пайыз уурдалган."),
        ("2026-жылдын 1-майында", "эки миң жыйырма алтынчы жылдын биринчи майында"),
        ("Мектеп, оорукана т.б. курулду.", "Мектеп, оорукана тагы башкалар курулду."),
    ],
)
def test_kyrgyz_numbers_read_as_words(written: str, spoken: str) -> None:
    assert normalize_for_speech(written, "ky") == spoken


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        ("В 2026 году бюджет вырос.", "В две тысячи двадцать шестом году бюджет вырос."),
        ("К 2026 году.", "К две тысячи двадцать шестому году."),
        ("Отчёт за 2026 год.", "Отчёт за две тысячи двадцать шестой год."),
        ("В 2026 г. всё изменится.", "В две тысячи двадцать шестом году всё изменится."),
        ("Выборы 1 мая 2026 года.", "Выборы первого мая две тысячи двадцать шестого года."),
        ("С 01.05.2026 закон действует.", "С первого мая две тысячи двадцать шестого года закон действует."),
        ("На 1 мая.", "На первое мая."),
        ("С 1 по 15 мая.", "С первого по пятнадцатое мая."),
        ("Вырос на 15%.", "Вырос на пятнадцать процентов."),
        (
            "Было 1%, 2%, 22%, 11%.",
            "Было один процент, два процента, двадцать два процента, одиннадцать процентов.",
        ),
        ("Более 15% жалоб.", "Более пятнадцати процентов жалоб."),
        ("Отклонено 3,5%.", "Отклонено три целых пять десятых процента."),
        ("Украдено 5 млн сомов.", "Украдено пять миллионов сомов."),
        ("Из 2 тысяч жалоб.", "Из двух тысяч жалоб."),
        ("Это 1-го числа, 5-й раз.", "Это первого числа, пятый раз."),
        ("3-я школа, 5-м классе.", "третья школа, пятом классе."),
        ("В 90-х годах, для 2-х классов.", "В девяностых годах, для двух классов."),
        ("Всего 1 500 000 сом.", "Всего один миллион пятьсот тысяч сом."),
        ("Это т.е. пример.", "Это то есть пример."),
        ("В г. Таш-Кумыр.", "В городе Таш-Кумыр."),
    ],
)
def test_russian_numbers_read_as_words(written: str, spoken: str) -> None:
    assert normalize_for_speech(written, "ru") == spoken


def test_abbreviation_at_sentence_end_keeps_the_full_stop() -> None:
    assert normalize_for_speech("Выборы в 2026 г.", "ru") == "Выборы в две тысячи двадцать шестом году."


RU_PHONE = "плюс, девятьсот девяносто шесть, пятьсот пятьдесят пять, сто двадцать три, четыреста пятьдесят шесть"
EN_PHONE = (
    "plus, nine hundred and ninety-six, five hundred and fifty-five, one hundred and twenty-three, "
    "four hundred and fifty-six"
)


@pytest.mark.parametrize(
    ("written", "lang", "spoken"),
    [
        ("+996 555 123 456", "ru", RU_PHONE),
        ("0555 123 456", "ky", "нөл, беш жүз элүү беш, жүз жыйырма үч, төрт жүз элүү алты"),
        ("(03735) 5-12-34", "ru", "ноль, тридцать семь, тридцать пять, пять, двенадцать, тридцать четыре"),
        ("+996 555 123 456", "en", EN_PHONE),
    ],
)
def test_phone_numbers_read_group_by_group(written: str, lang: str, spoken: str) -> None:
    assert normalize_for_speech(written, lang) == spoken


@pytest.mark.parametrize("text", ["1 500 000", "2020-2026", "10-15", "01-05-2026", "2026", "3,5"])
def test_numbers_that_are_not_phones_are_left_to_the_number_readers(text: str) -> None:
    assert read_phone_numbers(text, "ru") == text


def test_lexicon_replaces_whole_words_case_insensitively_before_numbers() -> None:
    lexicon = {"ЖӨБ": "жергиликтүү өз алдынча башкаруу", "Taza": "Таза"}
    said = normalize_for_speech("жөб 2026-жылы. TAZA! ЖӨБдөр", "ky", lexicon)
    assert said == "жергиликтүү өз алдынча башкаруу эки миң жыйырма алтынчы жылы. Таза! ЖӨБдөр"


def test_lexicon_entries_typed_with_lookalikes_still_match() -> None:
    assert apply_lexicon("Көмүр", {"К\u0473м\u04f1р": "Көмүр шаары"}) == "Көмүр шаары"


def test_lexicon_is_applied_once_longest_entry_first() -> None:
    lexicon = {"Таш": "тоо", "Таш-Көмүр": "Таш Көмүр", "тоо": "never"}
    assert apply_lexicon("Таш-Көмүр жана Таш", lexicon) == "Таш Көмүр жана тоо"


def test_english_keeps_its_numbers_for_espeak() -> None:
    assert normalize_for_speech("In 2026, 15% of it.", "en") == "In 2026, 15% of it."


def test_unknown_language_is_refused_with_the_known_ones() -> None:
    with pytest.raises(VoiceError, match=r'"kk".*ky, ru, en'):
        normalize_for_speech("сөз", "kk")


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        ("Шайлоо 2026-жылы. Келиңиз!", "Шайлоо эки миң жыйырма алтынчы жылы. Келиңиз!"),
        ("Шайлоо 2026-ж.", "Шайлоо эки миң жыйырма алтынчы жыл."),
    ],
)
def test_kyrgyz_year_at_sentence_end_keeps_the_full_stop(written: str, spoken: str) -> None:
    assert normalize_for_speech(written, "ky") == spoken
