"""``kind: social`` — social-media ads: one PNG (or JPEG over a photo) at the platform's exact size."""

from __future__ import annotations

from studio.formats import SOCIAL_FORMATS
from studio.kinds.banner import render
from studio.kinds.base import Kind

KIND = Kind(
    name="social",
    group="social",
    formats=SOCIAL_FORMATS,
    render=render,  # the same stills renderer: the format decides between an image and a print PDF
    noun={"ky": "соцтармак", "ru": "соцсети"},
    heading={"ky": "Социалдык тармак үчүн жарнама", "ru": "Реклама в соцсетях"},
    languages_together=True,
)
