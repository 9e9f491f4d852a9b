"""What every deliverable kind is: a name, an ``--only`` group, its formats and how it renders a job.

A kind is data plus one render function. The registry (``studio.kinds``) lists the modules; a kind's
module keeps its heavy imports (Pillow, ffmpeg, voices) inside its render function, so that the campaign
loader and ``studio plan`` can ask the registry about kinds without loading a renderer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from studio.campaign.models import Campaign, Deliverable
    from studio.plan import Job


@dataclass(frozen=True)
class RenderOptions:
    """Settings every job of a batch shares (passed to each worker explicitly)."""

    cache_dir: str  # the speech cache for voiced kinds
    draft: bool = False
    keys_dir: str | None = None  # the signing keys (default: studio.label.default_keys_folder())
    #: Parts of one video encoded at once (its share of the cores) and where: "local" (this machine)
    #: or "dask" (the cluster the job runs on); the executor sets both.
    video_segments: int = 1
    segments_on: str = "local"


@dataclass(frozen=True)
class Output:
    """A file a job wrote, with what the manifest needs to know of it."""

    path: Path
    role: str  # "image" (social), "print" (PDF), "proof" (PNG of a print), "video", "captions", …
    media_type: str
    width_px: int
    height_px: int
    dpi: int | None
    qr_url: str | None
    sha256: str = ""
    bytes: int = 0
    extra: dict[str, Any] = field(default_factory=dict)  # kind-specific manifest fields (duration, voice…)


#: ``render(campaign, job, quarter_dir, options)`` writes a job's files and describes them.
Render = Callable[["Campaign", "Job", Path, RenderOptions], list[Output]]
#: ``preflight(campaign, index)`` checks deliverable ``index`` beyond its fields (content files, data, page
#: counts) when the campaign is loaded; each problem is (location in the campaign file, message).
Preflight = Callable[["Campaign", int], list[tuple[tuple[str | int, ...], str]]]


def single_design(deliverable: Deliverable) -> tuple[str, ...]:
    """The designs a still deliverable uses: the one it names."""
    return (deliverable.design,) if deliverable.design else ()


#: A print job's cost beyond its pixels (its PDF, separations, proof and QR reads), in pixels: a
#: straight line through the sample campaign's print jobs (a newspaper quarter page, A4, A3, a 3 × 1 m
#: banner) gives 0.35 s a job and 0.012 s a million pixels, so about 28 million pixels.
PRINT_JOB_COST = 28_000_000


@dataclass(frozen=True)
class Kind:
    """One kind of deliverable (``kind:`` in the campaign file)."""

    name: str
    group: str  # the ``--only`` group that selects it
    formats: tuple[str, ...]  # the formats a deliverable of this kind may use
    render: Render
    #: Its name in the gallery (a noun) and in the report (a type heading), per report language.
    noun: dict[str, str]
    heading: dict[str, str]
    #: Always synthetic (AI voices or imagery): labelled whatever ``synthetic:`` says.
    always_synthetic: bool = False
    #: Needs a script template (``templates/scripts/NAME.LANG.j2``).
    scripted: bool = False
    #: The design files it reads, for the campaign's preflight.
    designs: Callable[[Deliverable], tuple[str, ...]] = single_design
    #: Relative cost per pixel of a format, so a batch starts the longest jobs first.
    cost_per_px: int = 1
    #: A job's cost beyond its pixels, in the same units (:data:`PRINT_JOB_COST` for print files).
    cost_per_job: int = 0
    #: A deliverable's languages in one format share what is drawn for that canvas (its background,
    #: the logo's separations, the gradients): a local pool gives them to one worker, one after the
    #: other, so it is drawn once (see :func:`studio.batch.executors.together`).
    languages_together: bool = False
    #: Its formats come from the campaign (a newspaper's module grid), not from ``formats``.
    campaign_formats: bool = False
    #: Drawn with a design over a background (everything but audio).
    drawn: bool = True
    #: Roles of the files that make a job count as produced (the rest are sidecars and proofs).
    final_roles: tuple[str, ...] = ("image",)
    #: Reads a content file per language: ``templates/CONTENT_FOLDER/NAME.LANG.md`` (``content:`` names it).
    content_folder: str | None = None
    #: Further checks at load time (content files, data tables, page counts); None for none.
    preflight: Preflight | None = None
