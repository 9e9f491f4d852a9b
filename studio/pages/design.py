"""Page designs (``templates/pages/NAME.yaml``): how a booklet, leaflet or infographic is typeset. Pure."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class PageDesign(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    #: Body text justified (both edges straight) or ragged right.
    align: Literal["justify", "ragged"] = "justify"
    #: For languages set without hyphenation (Kyrgyz): justified lines there open wide gaps between
    #: words, so by default they are set ragged right even when ``align`` says justify.
    align_unhyphenated: Literal["justify", "ragged"] = "ragged"
    #: Body text size in points for A5 and DL; infographics scale theirs with the page.
    body_size_pt: float = Field(9.5, ge=7.0, le=14.0)
    #: Cover title size in points (A5; DL takes 80 % of it).
    cover_title_pt: float = Field(26.0, ge=14.0, le=48.0)
    #: Ruled lines on a notes page (pages the content leaves free before the back cover).
    notes_lines: int = Field(14, ge=4, le=30)


#: Hyphenation by language. Typst has patterns for Russian and English; it has none for Kyrgyz, and a
#: wrong break is worse than a ragged line, so Kyrgyz is never hyphenated.
HYPHENATE: dict[str, bool] = {"ky": False, "ru": True, "en": True}
