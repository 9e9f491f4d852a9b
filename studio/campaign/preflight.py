"""What ``studio validate`` checks beyond the campaign file itself, so a render does not find it first.

- every still (banner, social ad) is laid out in every language and format: text that does not fit,
  colours that cannot reach contrast on their background, a QR code too small for its module count;
- every booklet and infographic is typeset in every language and format: content that does not fit;
- the brand logo does not vanish on the colour it is placed on;
- every script renders, and each scene's speaker has a voice that speaks the script's language (or
  ``voice_fallback`` lets espeak stand in), and the speakers of one script sound different.

``preflight`` returns problems (one line each, naming the file, line and field) and notes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import combinations
from pathlib import Path

from studio.campaign import _where, display_path
from studio.campaign.models import LANGUAGES, Campaign, VoiceSpec
from studio.campaign.yamlpos import LocatedYaml, load_yaml
from studio.colors import RGB, contrast_ratio, to_hex
from studio.errors import StudioError
from studio.kinds import get_kind
from studio.layout.engine import Box, FillGradient, FillRect, Item, PlaceImage
from studio.quarters import Quarter

#: Two voices of one engine sound alike unless their measured pitch differs by this ratio (two semitones)…
MIN_PITCH_RATIO = 1.12
#: …or their speed by this share.
MIN_RATE_APART = 0.15
#: What each voice says to have its pitch measured, per language.
PITCH_SAMPLE = {
    "ky": "Мен пара бербейм. Пара бул кылмыш.",
    "ru": "Я не даю взяток. Взятка это преступление.",
    "en": "I do not pay bribes. A bribe is a crime.",
}
#: A logo pixel stands out from its background at this contrast ratio…
LOGO_CONTRAST = 1.5
#: …and a logo with less than this share of such pixels disappears.
LOGO_VISIBLE_SHARE = 0.25


@dataclass
class Preflight:
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def preflight(campaign: Campaign) -> Preflight:
    """Run every check; each problem is one line naming where it comes from."""
    display = display_path(campaign.source)
    located = load_yaml(campaign.source, display)
    result = Preflight()
    _layouts(campaign, located, display, result)
    _scripts(campaign, located, display, result)
    return result


def _page_fits(
    campaign: Campaign,
    deliverable: str,
    kind: str,
    formats: Sequence[str],
    languages: Sequence[str],
    quarter: Quarter,
    where: str,
    result: Preflight,
) -> None:
    """Booklets and infographics: typeset far enough to know the content fits its pages."""
    from studio.pages.render import check_page_fit
    from studio.plan import Job

    for lang in languages:
        for fmt in formats:
            try:
                check_page_fit(campaign, Job(quarter, deliverable, lang, fmt, kind))
            except StudioError as exc:
                result.problems.append(f"{where}{exc}")


def _layouts(campaign: Campaign, located: LocatedYaml, display: str, result: Preflight) -> None:
    from studio.plan import Job
    from studio.stills.render import layout_job

    logo = campaign.brand.logo
    for i, d in enumerate(campaign.deliverables):
        kind = get_kind(d.kind)
        if kind.scripted or not d.due_quarters:
            continue
        where = _where(located, display, ("deliverables", i))
        if kind.content_folder:
            _page_fits(
                campaign, d.id, d.kind, d.formats, campaign.deliverable_languages(d), d.due_quarters[0], where, result
            )
            continue
        for lang in campaign.deliverable_languages(d):
            for fmt in d.formats:
                job = Job(d.due_quarters[0], d.id, lang, fmt, d.kind)
                try:
                    layout = layout_job(campaign, job)
                except StudioError as exc:
                    result.problems.append(f"{where}{exc}")
                    continue
                if logo is None:
                    continue
                items = layout.items
                for n, item in enumerate(items):
                    if not (isinstance(item, PlaceImage) and item.path == logo):
                        continue
                    under = colour_under(items[:n], item.box)
                    if under is None:
                        continue
                    share = _visible_share(logo, under)
                    if share < LOGO_VISIBLE_SHARE:
                        result.problems.append(
                            f"{_where(located, display, ('brand', 'logo'))}logo {display_path(logo)} disappears on "
                            f'{to_hex(under)} in deliverable "{d.id}" ({lang}, {fmt}): only {share:.0%} of it stands '
                            "out; use a logo version that contrasts with that colour, or change the design's panel"
                        )


def colour_under(items: Sequence[Item], box: Box) -> RGB | None:
    """The colour drawn under the centre of ``box`` by ``items`` (None over a photo or nothing)."""
    cx, cy = box.x + box.w / 2, box.y + box.h / 2
    for item in reversed(items):
        if isinstance(item, FillRect) and item.box.contains(cx, cy):
            return item.color
        if isinstance(item, FillGradient) and item.box.contains(cx, cy):
            return item.color_at(cx, cy)
        if isinstance(item, PlaceImage) and item.box.contains(cx, cy) and item.fit == "cover":
            return None
    return None


@cache
def _logo_pixels(path: Path, mtime_ns: int) -> tuple[RGB, ...]:
    """The visible pixels of a logo (alpha over half), sampled to at most about 4 000."""
    from PIL import Image

    with Image.open(path) as im:
        rgba = im.convert("RGBA")
    rgba.thumbnail((64, 64))
    import numpy as np

    visible = np.asarray(rgba)
    return tuple((int(r), int(g), int(b)) for r, g, b, a in visible.reshape(-1, 4) if a > 128)


def _visible_share(path: Path, background: RGB) -> float:
    pixels = _logo_pixels(path, path.stat().st_mtime_ns)
    if not pixels:
        return 0.0
    return sum(contrast_ratio(p, background) >= LOGO_CONTRAST for p in pixels) / len(pixels)


def _engine_languages(name: str) -> frozenset[str] | None:
    from studio.voice.engines import get_engine

    try:
        return frozenset(get_engine(name).languages)
    except StudioError:
        return None


def measured_pitch_hz(spec: VoiceSpec, lang: str) -> float | None:
    """The median pitch the speaker's voice actually speaks a short sentence with in ``lang``, through the
    engine a render would use (espeak standing in for a missing RHVoice); None when it cannot be measured
    (an online voice, a language with no sample)."""
    if spec.engine == "gtts" or lang not in PITCH_SAMPLE:
        return None
    return _pitch(spec.model_dump_json(), lang)


@cache
def _pitch(spec_json: str, lang: str) -> float | None:
    from studio.voice.analysis import estimate_pitch_hz
    from studio.voice.choose import choose

    spec = VoiceSpec.model_validate_json(spec_json)
    try:
        chosen = choose(spec, lang)
        speech = chosen.engine.synthesize(PITCH_SAMPLE[lang], chosen.voice)
    except StudioError:
        return None
    return estimate_pitch_hz(speech.samples, speech.sample_rate_hz) or None


def _identity(spec: VoiceSpec, lang: str) -> tuple[str, str, float]:
    """Which voice speaks (engine and voice name) and at what pace (1 = the voice's own), as rendered."""
    from studio.voice.choose import choose

    try:
        chosen = choose(spec, lang)
    except StudioError:
        return (spec.engine, "", 1.0)
    engine = chosen.engine.name
    if spec.engine == "rhvoice" and engine == "rhvoice":
        return (engine, spec.voice.get(lang, ""), spec.speed)
    return (engine, chosen.voice.variant, chosen.voice.rate_wpm / 155)


def sound_alike(a: VoiceSpec, b: VoiceSpec, lang: str) -> tuple[float, float] | None:
    """The two measured pitches when voices ``a`` and ``b`` would be heard as one speaker, else None.

    Two different voices (engines, or RHVoice voices) sound different; so do voices whose speed differs by
    ``MIN_RATE_APART``. Otherwise the pitch each one actually speaks with is measured (two espeak variants
    at different settings can land on the same 90 Hz; one RHVoice voice at two pitch settings too) and
    must differ by ``MIN_PITCH_RATIO``. Google's voice has no pitch or speed settings: two gTTS speakers
    are one voice.
    """
    if a.engine == b.engine == "gtts":
        return (0.0, 0.0)
    (ea, na, ra), (eb, nb, rb) = _identity(a, lang), _identity(b, lang)
    if ea != eb or (ea == "rhvoice" and na.lower() != nb.lower()) or abs(ra - rb) >= MIN_RATE_APART * max(ra, rb):
        return None
    fa, fb = measured_pitch_hz(a, lang), measured_pitch_hz(b, lang)
    if fa is None or fb is None:
        return None
    return (fa, fb) if max(fa, fb) / min(fa, fb) < MIN_PITCH_RATIO else None


def _voice_text(spec: VoiceSpec, hz: float) -> str:
    measured = f", ≈{hz:.0f} Hz" if hz else ""
    if spec.engine == "rhvoice":
        names = "/".join(spec.voice.values())
        return f"rhvoice {names}, pitch {spec.pitch}, speed {spec.speed:g}{measured}"
    return f"{spec.engine} {spec.variant or 'default'}, pitch {spec.pitch}, {spec.rate_wpm} wpm{measured}"


def script_corrections(campaign: Campaign, pairs: set[tuple[str, str]]) -> list[str]:
    """Look-alike letters corrected in the scripts of these (deliverable, language) pairs, one note each,
    for the start of a render (a script that does not render is left to the job, which says why)."""
    notes: list[str] = []
    for d in campaign.deliverables:
        for lang in campaign.deliverable_languages(d):
            if (d.id, lang) not in pairs or not d.script or not get_kind(d.kind).scripted:
                continue
            # Imported only here: a batch of stills needs none of the video modules.
            from studio.video.explainer import script_context
            from studio.video.script import load_script, template_path

            quarter = str(d.due_quarters[0]) if d.due_quarters else str(campaign.period.from_)
            try:
                shown = display_path(template_path(campaign.root, d.script, lang))
                script = load_script(campaign.root, d.script, lang, script_context(campaign, d, lang, quarter), shown)
            except StudioError:
                continue
            notes += [n for n in script.corrections if n not in notes]
    return notes


def _scripts(campaign: Campaign, located: LocatedYaml, display: str, result: Preflight) -> None:
    from studio.video.explainer import script_context
    from studio.video.script import load_script, template_path

    for d in campaign.deliverables:
        if not get_kind(d.kind).scripted or not d.script:
            continue
        for lang in campaign.deliverable_languages(d):
            quarter = str(d.due_quarters[0]) if d.due_quarters else str(campaign.period.from_)
            path = template_path(campaign.root, d.script, lang)
            shown = display_path(path)
            try:
                script = load_script(campaign.root, d.script, lang, script_context(campaign, d, lang, quarter), shown)
            except StudioError as exc:
                result.problems.append(str(exc))
                continue
            result.notes.extend(script.corrections)
            # The narrator speaks the disclosure; a dialogue's lines each have their own speaker.
            voiced = [("the spoken disclosure", "narrator")] + [
                (f"scene {i}, line {k}" if scene.kind == "dialogue" else f"scene {i}", u.speaker)
                for i, scene in enumerate(script.scenes, 1)
                for k, u in enumerate(scene.utterances, 1)
            ]
            speakers = [speaker for _, speaker in voiced]
            for part, speaker in voiced:
                spec = campaign.voices.get(speaker)
                if spec is None:
                    result.problems.append(
                        f'{shown}: {part}: speaker "{speaker}" has no voice; campaign voices: '
                        f"{', '.join(campaign.voices)}"
                    )
                    continue
                languages = _engine_languages(spec.engine)
                if languages is None or lang in languages:
                    continue
                name = LANGUAGES.get(lang, lang)
                if campaign.voice_fallback and spec.engine != "espeak":
                    note = f'{shown}: {part}: {spec.engine} has no {name}; speaker "{speaker}" will speak with espeak'
                    if note not in result.notes:
                        result.notes.append(note)
                else:
                    result.problems.append(
                        f"{_where(located, display, ('voices', speaker, 'engine'))}{shown}: {part}: speaker "
                        f'"{speaker}" has a {spec.engine} voice, which cannot speak {name}, and voice_fallback is '
                        f"off; give {speaker} an espeak voice or set voice_fallback: true"
                    )
            used = list(dict.fromkeys(speakers))
            for a, b in combinations(used, 2):
                va, vb = campaign.voices.get(a), campaign.voices.get(b)
                alike = sound_alike(va, vb, lang) if va is not None and vb is not None else None
                if alike is not None and va is not None and vb is not None:
                    problem = (
                        f'{_where(located, display, ("voices", b))}{shown}: speakers "{a}" '
                        f'({_voice_text(va, alike[0])}) and "{b}" ({_voice_text(vb, alike[1])}) would sound like '
                        f"one person; move their pitch further apart (at least {MIN_PITCH_RATIO - 1:.0%} in Hz), "
                        f"or their speed {MIN_RATE_APART:.0%}, or give one another engine"
                    )
                    if problem not in result.problems:
                        result.problems.append(problem)
