"""The preflight report's words in Kyrgyz (state language), Russian and English."""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    "ky": {
        "title": "Басмага даярдыгын текшерүү",
        "file": "Файл",
        "standard": "Стандарт",
        "page": "Барак (MediaBox)",
        "trim": "Кесилгенден кийинки өлчөм (TrimBox)",
        "bleed": "Кесүүгө кошумча (bleed)",
        "profile": "Түс профили",
        "no_intent": "жок: RGB файл, түстөрдү басмакана өзү которот",
        "ink": "Боёк: эң көп / орточо",
        "ink_over": "чектен ашты ({limit} %), жери: {where}",
        "where": "кесилген барактын сол жагынан {x} мм, үстүнөн {y} мм",
        "ink_limit": "чеги {limit} %",
        "text": "Эң кичине текст",
        "text_unknown": "белгисиз (текст сүрөттүн ичинде)",
        "text_under": "{min} пт минимумдан кичине",
        "resolution": "Сүрөттүн басмадагы чечими",
        "color": "Сүрөттүн түс мейкиндиги",
        "qr": "QR-код",
        "qr_none": "табылган жок",
        "qr_press": "басманын симуляциясынан кийин ({press}) окулат",
        "qr_press_fail": "басманын симуляциясынан кийин ({press}) окулбайт",
        "synthetic": "ЖИ белгиси (XMP)",
        "ok": "туура",
        "problem": "көйгөй",
        "verdict_ok": "Файл басмага даяр.",
        "verdict_bad": "Файлда көйгөйлөр бар: басмага жиберүүдөн мурун оңдоңуз.",
        "mm": "мм",
    },
    "ru": {
        "title": "Предпечатная проверка",
        "file": "Файл",
        "standard": "Стандарт",
        "page": "Лист (MediaBox)",
        "trim": "Обрезной формат (TrimBox)",
        "bleed": "Вылеты (bleed)",
        "profile": "Цветовой профиль",
        "no_intent": "нет: RGB-файл, цвета переведёт типография",
        "ink": "Краска: максимум / среднее",
        "ink_over": "выше предела ({limit} %), место: {where}",
        "where": "{x} мм от левого края, {y} мм от верхнего края обрезного формата",
        "ink_limit": "предел {limit} %",
        "text": "Самый мелкий текст",
        "text_unknown": "неизвестно (текст внутри изображения)",
        "text_under": "меньше минимума {min} пт",
        "resolution": "Разрешение изображения в печати",
        "color": "Цветовое пространство изображения",
        "qr": "QR-код",
        "qr_none": "не найден",
        "qr_press": "читается после имитации печати ({press})",
        "qr_press_fail": "не читается после имитации печати ({press})",
        "synthetic": "Метка ИИ (XMP)",
        "ok": "верно",
        "problem": "проблема",
        "verdict_ok": "Файл готов к печати.",
        "verdict_bad": "В файле есть проблемы: исправьте их до отправки в типографию.",
        "mm": "мм",
    },
    "en": {
        "title": "Preflight",
        "file": "File",
        "standard": "Standard",
        "page": "Page (MediaBox)",
        "trim": "Trimmed size (TrimBox)",
        "bleed": "Bleed",
        "profile": "Colour profile",
        "no_intent": "none: an RGB file, the print shop converts the colours",
        "ink": "Ink: maximum / mean",
        "ink_over": "over the limit ({limit} %), at {where}",
        "where": "{x} mm from the left, {y} mm from the top of the trimmed sheet",
        "ink_limit": "limit {limit} %",
        "text": "Smallest text",
        "text_unknown": "unknown (text inside the image)",
        "text_under": "under the {min} pt minimum",
        "resolution": "Image resolution at print size",
        "color": "Image colour space",
        "qr": "QR code",
        "qr_none": "not found",
        "qr_press": "reads after a simulated press ({press})",
        "qr_press_fail": "does not read after a simulated press ({press})",
        "synthetic": "AI label (XMP)",
        "ok": "ok",
        "problem": "problem",
        "verdict_ok": "The file is ready for print.",
        "verdict_bad": "The file has problems: fix them before sending it to the print shop.",
        "mm": "mm",
    },
}

LANGUAGES = tuple(WORDS)


def word(lang: str, key: str, **values: object) -> str:
    return WORDS[lang][key].format(**values)


def number(lang: str, value: float, digits: int = 1) -> str:
    """A decimal as the reader writes it: a comma in Kyrgyz and Russian."""
    text = f"{value:.{digits}f}"
    return text if lang == "en" else text.replace(".", ",")
