"""A small explainer with one scene of every kind, in Kyrgyz and Russian, for the video tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from tests.conftest import make_project, sample_data

ALL_KINDS_KY = """\
title: Сынак
scenes:
  - kind: title
    title: Бардык көрүнүштөр
    narration: Бул сынак видеосу.
  - title: Пара деген эмне?
    bullets: [Акча, Белек]
    narration: Пара — бул мыйзамсыз төлөм.
  - kind: presenter
    speaker: narrator
    title: Жасалма үн
    bullets: [Телефон чалуу, Видео чалуу]
    narration: Алдамчылар кызматкердин атынан чалышат.
  - kind: dialogue
    set: office
    title: Сахналаштырылган көрүнүш
    lines:
      - {speaker: official, say: "Тезирээк керек болсо, акча бериңиз.", prop: envelope}
      - {speaker: citizen, say: "Жок, мен пара бербейм."}
  - kind: steps
    title: Эмне кылуу керек?
    steps:
      - {text: Төлөбөңүз, icon: stop}
      - {text: Эстеп калыңыз, icon: document, cue: эстеп}
      - {text: Кабарлаңыз, icon: qr, cue: кабарлаңыз}
    narration: Төлөбөңүз. Атын эстеп калыңыз. Анан кабарлаңыз.
  - kind: stat
    title: Кызматтын баасы
    value: 5000
    suffix: " сом"
    label: Пара менен
    narration: Мисалы, беш миң сом.
  - kind: chart
    chart: bar
    title: Кайрылуулар
    unit: даана
    data: [{label: QR-код, value: 30}, {label: Телефон, value: 12}]
    narration: Көпчүлүгү QR-код аркылуу кабарлашат.
  - kind: chart
    chart: pie
    title: Кайрылуулар
    data: [{label: QR-код, value: 30}, {label: Телефон, value: 12}, {label: Кат, value: 6}]
    narration: Ар бир жол маанилүү.
"""

ALL_KINDS_RU = """\
title: Проба
scenes:
  - kind: title
    title: Все виды сцен
    narration: Это пробное видео.
  - title: Что такое взятка?
    bullets: [Деньги, Подарки]
    narration: Взятка — это незаконная плата.
  - kind: presenter
    speaker: narrator
    title: Фальшивый голос
    bullets: [Звонок, Видеозвонок]
    narration: Мошенники звонят от имени служащих.
  - kind: dialogue
    set: office
    title: Инсценировка
    lines:
      - {speaker: official, say: "Если нужно быстрее, дайте денег.", prop: envelope}
      - {speaker: citizen, say: "Нет, я не даю взяток."}
  - kind: steps
    title: Что делать?
    steps:
      - {text: Не платите, icon: stop}
      - {text: Запомните имя, icon: document, cue: запомните}
      - {text: Сообщите, icon: qr, cue: сообщите}
    narration: Не платите. Запомните имя. Потом сообщите.
  - kind: stat
    title: Цена услуги
    value: 5000
    suffix: " сом"
    label: Со взяткой
    narration: Например, пять тысяч сомов.
  - kind: chart
    chart: bar
    title: Обращения
    unit: шт.
    data: [{label: QR-код, value: 30}, {label: Телефон, value: 12}]
    narration: Чаще всего сообщают через QR-код.
  - kind: chart
    chart: pie
    title: Обращения
    data: [{label: QR-код, value: 30}, {label: Телефон, value: 12}, {label: Письмо, value: 6}]
    narration: Важен каждый способ.
"""


def make_scenes_project(
    root: Path,
    ky: str = ALL_KINDS_KY,
    ru: str = ALL_KINDS_RU,
    change: Callable[[dict[str, Any]], None] | None = None,
) -> Path:
    """A project copy whose one video deliverable ("scenes-video") plays the given scripts."""
    make_project(root)
    for lang, text in (("ky", ky), ("ru", ru)):
        (root / "templates" / "scripts" / f"scenes.{lang}.j2").write_text(text, encoding="utf-8")
    data = sample_data()
    video = next(d for d in data["deliverables"] if d["kind"] == "video")
    video.update(id="scenes-video", script="scenes", quarters=["2026Q1"])
    data["deliverables"] = [video]
    if change is not None:
        change(data)
    path = root / "campaigns" / "scenes.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path
