"""The synthetic-media disclosure, worded in one place for every label, voice and metadata field.

Explainers are voiced by a synthetic voice and some show staged, "deepfake"-style scenes; the
programme requires them to be clearly labelled as synthetic, to viewers and to machines.
"""

from __future__ import annotations

#: The visible badge: Kyrgyz (the state language) and Russian (the official language) together.
BADGE_TEXT = "ЖИ менен түзүлгөн · Создано с помощью ИИ"

#: Said at the start of every AI-voiced narration, in the narration's language.
SPOKEN: dict[str, str] = {
    "ky": "Бул видео жасалма интеллект менен түзүлгөн.",
    "ru": "Это видео создано с помощью искусственного интеллекта.",
    "en": "This video was made with artificial intelligence.",
}

#: Said first in every audio deliverable (radio spot, podcast, voice note), in its language.
SPOKEN_AUDIO: dict[str, str] = {
    "ky": "Бул аудио жасалма интеллект менен түзүлгөн.",
    "ru": "Эта запись создана с помощью искусственного интеллекта.",
    "en": "This recording was made with artificial intelligence.",
}

#: IPTC digital source types (http://cv.iptc.org/newscodes/digitalsourcetype/).
IPTC_NEWSCODES = "http://cv.iptc.org/newscodes/digitalsourcetype/"
TRAINED_ALGORITHMIC_MEDIA = IPTC_NEWSCODES + "trainedAlgorithmicMedia"
COMPOSITE_WITH_TRAINED_ALGORITHMIC_MEDIA = IPTC_NEWSCODES + "compositeWithTrainedAlgorithmicMedia"
