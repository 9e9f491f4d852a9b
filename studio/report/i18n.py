"""The words of the gallery and the quarterly report in Kyrgyz (state language) and Russian (official)."""

from __future__ import annotations

import datetime as dt
from functools import cache

from studio.kinds import all_kinds

#: The languages every report is written in: Kyrgyz first, as the state language.
REPORT_LANGUAGES = ("ky", "ru")

_ROMAN = ("I", "II", "III", "IV")

TEXT: dict[str, dict[str, str]] = {
    "ky": {
        # Shared
        "quarter": "Чейрек",
        "quarter_long": "{year}-жылдын {roman} чейреги",
        "campaign": "Кампания",
        "organisation": "Уюм",
        "deliverable": "Материал",
        "language": "Тили",
        "format": "Формат",
        "none": "Жок",
        "lang.ky": "кыргыз тили",
        "lang.ru": "орус тили",
        "lang.en": "англис тили",
        "type.infographic": "Инфографика",
        "type.booklet": "Буклет",
        # Quarterly report
        "report_title": "Чейректик отчет",
        "due_date": "Тапшыруу мөөнөтү",
        "prepared_on": "Түзүлгөн күнү",
        "status": "Абалы",
        "status.days_left": "{days} күн калды",
        "status.due_today": "бүгүн тапшыруу керек",
        "status.late": "мөөнөтү өттү: {days} күнгө кечикти",
        "table_heading": "Пландалган жана даярдалган материалдар",
        "col.type": "Түрү",
        "col.language": "Тили",
        "col.planned": "Пландалган",
        "col.produced": "Даярдалды",
        "col.approved": "Бекитилди (жарыялоого даяр)",
        "col.planned_produced": "Пландан даярдалды",
        "col.produced_year": "Жыл башынан бери",
        "col.target_year": "Жылдык план",
        "col.overdue": "Мөөнөтү өткөн",
        "col.note": "Эскертүү",
        "note.outside_studio": "Taza Studio'до даярдалбайт: эсеби өзүнчө жүргүзүлөт",
        "note.no_target": "жылдык план берилген эмес",
        "rule": (
            "Материал бир тилде даярдалды деп эсептелет, эгерде анын ошол тилдеги бардык форматтары бул "
            "чейректин тизмесинде акыркы файл катары бар болсо (долбоорлор эсептелбейт). «Жыл башынан бери» "
            "{year}-жылдын башынан ушул чейрекке чейин даярдалган ар башка материалдарды эсептейт. «Мөөнөтү "
            "өткөн» — мурунку чейректерге пландалып, ошондон бери даярдалбаган материалдар."
        ),
        "produced_heading": "Бул чейректе даярдалгандар",
        "missing_heading": "Бул чейрекке пландалып, даярдалбагандар",
        "overdue_heading": "Мөөнөтү өткөн материалдар",
        "col.due_quarters": "Пландалган чейрек",
        "ignored_heading": "Кампанияда жок материалдар (эсептелген жок)",
        # Review gallery
        "gallery": "Карап чыгуу галереясы",
        "generated_at": "Түзүлгөн",
        "studio_version": "Taza Studio версиясы",
        "summary": "Жыйынтык",
        "files": "Файлдар",
        "contents": "Мазмуну",
        "failed_heading": "Даярдалбай калгандар",
        "failed_none": "Баары ийгиликтүү даярдалды",
        "reason": "Себеби",
        "synthetic": "Жасалма интеллект (ЖИ) менен түзүлгөн",
        "disclosure": "ЖИ белгилери",
        "disclosure_missing": "ЖИ белгиси жок!",
        "disclosure.visible-badge": "көрүнгөн белги",
        "disclosure.spoken": "үн менен эскертүү",
        "disclosure.watermark": "көзгө көрүнбөгөн суу белгиси",
        "disclosure.xmp": "XMP метамаалыматы",
        "disclosure.iptc": "IPTC метамаалыматы",
        "disclosure.c2pa": "C2PA санариптик тастыктамасы",
        "disclosure.metadata": "файлдын метамаалыматы",
        "voice_engine": "Үн синтездөөчү",
        "duration": "Узактыгы",
        "seconds": "сек",
        "size": "Көлөмү",
        "pixels": "Өлчөмү",
        "qr_url": "QR-коддун шилтемеси",
        "draft": "Долбоор",
        "notices": "Эскертүүлөр",
        "preflight": "Басмага даярдык",
        "preflight.profile": "Түс профили",
        "preflight.trim": "Кесилген өлчөмү / кошумча (bleed)",
        "preflight.ink": "Боёк: эң көп / орточо (чеги)",
        "preflight.text": "Эң кичине текст",
        "preflight.resolution": "Сүрөттүн чечими",
        "preflight.qr": "QR-код: файлдан жана басманын симуляциясынан кийин",
        "preflight.qr_file": "QR-код: файлдан",
        "preflight.qr_page": "QR-код: барактын сүрөтүнөн",
        "preflight.pages": "Беттер / басма барактары",
        "preflight.pass": "окулат",
        "preflight.fail": "окулбайт",
        "role.image": "сүрөт",
        "role.print": "басма үчүн PDF",
        "role.proof": "басма көрүнүшү",
        "role.reader": "окуу үчүн PDF",
        "role.preview": "бет көрүнүшү",
        "role.video": "видео",
        "role.audio": "аудио",
        "role.captions": "субтитрлер",
        "no_preview": "Алдын ала көрүнүшү жок",
        "unsafe_path": "Шилтеме бул папкадан сыртка чыгат; ачылбайт",
        "placeholder": (
            "Көңүл буруңуз: кабарлоо каналдары ({url}) азырынча үлгү гана. Жарыялоодон мурун аларды чыныгы "
            "шилтеме жана телефон менен алмаштырыңыз."
        ),
        "technical": "Техникалык маалымат",
        "incomplete": "Толук эмес: иш бүтпөй калды, кийинки жолу кайра даярдалат",
        "reason.SpecError": "Кампаниянын же шаблондун файлында ката бар",
        "reason.LayoutError": "Макет түзүлгөн жок: текст, QR-код же түстөр дизайнга туура келбейт",
        "reason.QRError": "QR-код файлдан окулбай калды",
        "reason.VoiceError": "Үн синтезделген жок",
        "reason.EncodeError": "Видео түзүлгөн жок",
        "reason.RenderError": "Файл жазылган жок",
        "reason.LabelError": "ЖИ белгиси же санариптик кол коюлган жок",
        "reason.disk_full": "Дискте орун калган жок: бош орун бошотуп, кайра иштетиңиз",
        "reason.internal": "Программанын ички катасы: техникалык маалыматты иштеп чыгуучуларга жөнөтүңүз",
        "reason.other": "Даярдалган жок",
    },
    "ru": {
        "quarter": "Квартал",
        "quarter_long": "{roman} квартал {year} года",
        "campaign": "Кампания",
        "organisation": "Организация",
        "deliverable": "Материал",
        "language": "Язык",
        "format": "Формат",
        "none": "Нет",
        "lang.ky": "кыргызский",
        "lang.ru": "русский",
        "lang.en": "английский",
        "type.infographic": "Инфографика",
        "type.booklet": "Буклеты",
        "report_title": "Квартальный отчёт",
        "due_date": "Срок представления",
        "prepared_on": "Дата составления",
        "status": "Статус",
        "status.days_left": "осталось дней: {days}",
        "status.due_today": "срок — сегодня",
        "status.late": "срок пропущен: опоздание {days} дн.",
        "table_heading": "Запланированные и подготовленные материалы",
        "col.type": "Тип",
        "col.language": "Язык",
        "col.planned": "Запланировано",
        "col.produced": "Подготовлено",
        "col.approved": "Утверждено (готово к публикации)",
        "col.planned_produced": "Из плана подготовлено",
        "col.produced_year": "С начала года",
        "col.target_year": "Годовой план",
        "col.overdue": "Просрочено",
        "col.note": "Примечание",
        "note.outside_studio": "Не производится в Taza Studio: учёт ведётся отдельно",
        "note.no_target": "годовой план не задан",
        "rule": (
            "Материал считается подготовленным на языке, если все его форматы на этом языке есть в перечне "
            "квартала в виде окончательных файлов (черновики не учитываются). «С начала года» — число разных "
            "материалов, подготовленных с начала {year} года по этот квартал включительно. «Просрочено» — "
            "материалы, запланированные на прошлые кварталы и с тех пор не подготовленные."
        ),
        "produced_heading": "Подготовлено в этом квартале",
        "missing_heading": "Запланировано на квартал, но не подготовлено",
        "overdue_heading": "Просроченные материалы",
        "col.due_quarters": "Плановый квартал",
        "ignored_heading": "Материалы, которых нет в кампании (не учтены)",
        "gallery": "Галерея для просмотра",
        "generated_at": "Создано",
        "studio_version": "Версия Taza Studio",
        "summary": "Итог",
        "files": "Файлы",
        "contents": "Содержание",
        "failed_heading": "Не удалось подготовить",
        "failed_none": "Все материалы подготовлены успешно",
        "reason": "Причина",
        "synthetic": "Создано с помощью искусственного интеллекта (ИИ)",
        "disclosure": "Маркировка ИИ",
        "disclosure_missing": "Нет маркировки ИИ!",
        "disclosure.visible-badge": "видимая метка",
        "disclosure.spoken": "устное предупреждение",
        "disclosure.watermark": "невидимый водяной знак",
        "disclosure.xmp": "метаданные XMP",
        "disclosure.iptc": "метаданные IPTC",
        "disclosure.c2pa": "цифровая подпись C2PA",
        "disclosure.metadata": "метаданные файла",
        "voice_engine": "Синтезатор речи",
        "duration": "Длительность",
        "seconds": "с",
        "size": "Размер",
        "pixels": "Разрешение",
        "qr_url": "Ссылка QR-кода",
        "draft": "Черновик",
        "notices": "Предупреждения",
        "preflight": "Предпечатная проверка",
        "preflight.profile": "Цветовой профиль",
        "preflight.trim": "Обрезной формат / вылеты",
        "preflight.ink": "Краска: максимум / среднее (предел)",
        "preflight.text": "Самый мелкий текст",
        "preflight.resolution": "Разрешение изображения",
        "preflight.qr": "QR-код: из файла и после имитации печати",
        "preflight.qr_file": "QR-код: из файла",
        "preflight.qr_page": "QR-код: с изображения страницы",
        "preflight.pages": "Страницы / печатные листы",
        "preflight.pass": "читается",
        "preflight.fail": "не читается",
        "role.image": "изображение",
        "role.print": "PDF для печати",
        "role.proof": "превью печати",
        "role.reader": "PDF для чтения",
        "role.preview": "превью страницы",
        "role.video": "видео",
        "role.audio": "аудио",
        "role.captions": "субтитры",
        "no_preview": "Нет превью",
        "unsafe_path": "Ссылка ведёт за пределы папки; не открывается",
        "placeholder": (
            "Внимание: каналы для сообщений ({url}) пока только образцы. До публикации замените их настоящей "
            "ссылкой и телефоном."
        ),
        "technical": "Технические подробности",
        "incomplete": "Не полностью: задание не завершилось, будет подготовлено заново",
        "reason.SpecError": "Ошибка в файле кампании или шаблона",
        "reason.LayoutError": "Макет не собран: текст, QR-код или цвета не подходят к дизайну",
        "reason.QRError": "QR-код не читается из файла",
        "reason.VoiceError": "Не удалось синтезировать голос",
        "reason.EncodeError": "Не удалось собрать видео",
        "reason.RenderError": "Не удалось записать файл",
        "reason.LabelError": "Не удалось поставить маркировку ИИ или цифровую подпись",
        "reason.disk_full": "На диске нет места: освободите место и запустите снова",
        "reason.internal": "Внутренняя ошибка программы: перешлите технические подробности разработчикам",
        "reason.other": "Не подготовлено",
    },
}


def text(lang: str, key: str, **values: object) -> str:
    """The phrase ``key`` in ``lang``, with ``{placeholders}`` filled; unknown keys fail loudly (a typo is a bug)."""
    phrase = _kind_words(lang).get(key) or TEXT[lang][key]
    return phrase.format(**values) if values else phrase


def text_or(lang: str, key: str, fallback: str) -> str:
    """The phrase ``key`` in ``lang``, or ``fallback`` for open-ended values (a new disclosure label, a new role)."""
    return _kind_words(lang).get(key) or TEXT[lang].get(key, fallback)


def quarter_long(lang: str, year: int, number: int) -> str:
    """ "2026-жылдын I чейреги" / "I квартал 2026 года"."""
    return text(lang, "quarter_long", year=year, roman=_ROMAN[number - 1])


def date_text(day: dt.date) -> str:
    """Dates as official papers in both languages write them: 01.04.2026."""
    return day.strftime("%d.%m.%Y")


def decimal_text(value: float, digits: int = 1) -> str:
    """A decimal with a comma, as Kyrgyz and Russian write it: 1,5."""
    return f"{value:.{digits}f}".replace(".", ",")


def size_text(size_bytes: int) -> str:
    """A file size for people: 840 КБ, 1,2 МБ (the same abbreviations in both languages)."""
    if size_bytes < 1000:
        return f"{size_bytes} Б"
    if size_bytes < 1_000_000:
        return f"{round(size_bytes / 1000)} КБ"
    return f"{decimal_text(size_bytes / 1_000_000)} МБ"


@cache
def _kind_words(lang: str) -> dict[str, str]:
    """``kind.NAME`` (a noun for the gallery) and ``type.NAME`` (a report heading), from the kind registry."""
    words = {}
    for kind in all_kinds():
        words[f"kind.{kind.name}"] = kind.noun[lang]
        words[f"type.{kind.name}"] = kind.heading[lang]
    return words
