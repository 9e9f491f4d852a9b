"""Sentence splitting for ky, ru and en text."""

from __future__ import annotations

import pytest

from studio.voice import split_sentences


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        (
            "Салам! Бүгүн 1-май. Мектеп, оорукана т.б. Эртең келгиле?",
            ["Салам!", "Бүгүн 1-май.", "Мектеп, оорукана т.б.", "Эртең келгиле?"],
        ),
        ("Таш-Көмүр ш. Ленин көч. 5-үй. Келиңиз!", ["Таш-Көмүр ш. Ленин көч. 5-үй.", "Келиңиз!"]),
        ("«Кайда?» — деди ал. Ал кетти.", ["«Кайда?» — деди ал.", "Ал кетти."]),
        ("Это т.е. пример. Всё.", ["Это т.е. пример.", "Всё."]),
        ("В 2026 г. бюджет вырос. В г. Ош тоже.", ["В 2026 г. бюджет вырос.", "В г. Ош тоже."]),
        ("А. Садыров сказал: «Нет!» Потом ушёл...", ["А. Садыров сказал: «Нет!»", "Потом ушёл..."]),
        ("Ждём… и ждём. Конец", ["Ждём… и ждём.", "Конец"]),
        ("Дата 01.05.2026. Цена 3.5 сом.", ["Дата 01.05.2026.", "Цена 3.5 сом."]),
        (
            "Dr. Smith left at 5 p.m. He called. Really?! Yes.",
            ["Dr. Smith left at 5 p.m.", "He called.", "Really?!", "Yes."],
        ),
        ("A heading\n\nThe text\nwraps here.", ["A heading", "The text wraps here."]),
        ("", []),
        ("   \n ", []),
    ],
)
def test_split_sentences(text: str, sentences: list[str]) -> None:
    assert split_sentences(text) == sentences


def test_joined_sentences_give_back_the_words() -> None:
    text = "Биринчи сүйлөм. Экинчи сүйлөм! Үчүнчү?"
    assert " ".join(split_sentences(text)).split() == text.split()
