"""ffmpeg filter graph for a slide show: text only, no I/O.

Each slide enters as one raw RGB frame, is converted to yuv420p (BT.709) once, repeated with the
``loop`` filter and, if it moves, cropped and scaled per frame by commands that ``sendcmd`` reads
from a file (see :mod:`studio.encode.motion`). The video is a single ``concat`` of pieces: slide
bodies, and for each crossfade the few overlapping frames, the outgoing ones fading out (their alpha)
over the incoming ones (see :func:`plan_pieces`).
Converting before repeating keeps the per-frame work to one small bilinear scale.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from itertools import accumulate

from studio.encode.motion import FrameGeometry, MotionPlan, fit_window
from studio.encode.timeline import VideoTimeline
from studio.errors import EncodeError

#: Colour conversion of the slides: HD players assume BT.709, and the stream is tagged so.
_TO_YUV = "flags=lanczos+accurate_rnd+full_chroma_int:out_color_matrix=bt709:out_range=tv"


@dataclass(frozen=True)
class FilterGraph:
    """A ``-filter_complex`` text, the ``sendcmd`` files it reads (name → text) and its output label.

    ``slides`` are the slides it reads, in input order (input ``k`` is slide ``slides[k]``): a segment
    of the video reads only the slides it shows.
    """

    text: str
    command_files: dict[str, str]
    output: str
    slides: tuple[int, ...] = ()


def command_file_name(piece: int) -> str:
    return f"motion{piece:03d}.cmd"


def motion_commands(piece: int, frames: Sequence[FrameGeometry], fps: int) -> str:
    """``sendcmd`` script setting each frame's crop and scale; only values that change are sent.

    A frame's commands are timed half a frame early so that float rounding of timestamps can never
    deliver them one frame late.
    """
    crop, scale, out = f"crop@c{piece}", f"scale@s{piece}", f"crop@o{piece}"
    lines = []
    for n in range(1, len(frames)):
        frame, previous = frames[n], frames[n - 1]
        changes = [
            f"{target} {name} {new}"
            for target, name, new, old in (
                (crop, "w", frame.x.crop, previous.x.crop),
                (crop, "h", frame.y.crop, previous.y.crop),
                (crop, "x", frame.x.offset, previous.x.offset),
                (crop, "y", frame.y.offset, previous.y.offset),
                (scale, "w", frame.x.scaled, previous.x.scaled),
                (scale, "h", frame.y.scaled, previous.y.scaled),
                (out, "x", frame.x.out_offset, previous.x.out_offset),
                (out, "y", frame.y.out_offset, previous.y.out_offset),
            )
            if new != old
        ]
        if changes:
            lines.append(f"{(n - 0.5) / fps:.6f} {', '.join(changes)};")
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Piece:
    """A run of one slide's frames: ``count`` frames from its local frame ``first``."""

    slide: int
    first: int
    count: int


def plan_pieces(timeline: VideoTimeline) -> list[Piece | tuple[Piece, Piece]]:
    """The video as a sequence of slide bodies and crossfades (pairs of overlapping pieces).

    A fade is kept to the fade frames alone: blending over whole slides would touch every later frame.
    """
    fade_after = {join.index - 1: join.fade_frames for join in timeline.joins}
    sequence: list[Piece | tuple[Piece, Piece]] = []
    fade_in = 0
    for i, span in enumerate(timeline.spans):
        fade_out = fade_after.get(i, 0)
        body = span.frames - fade_in - fade_out
        if body > 0:
            sequence.append(Piece(i, fade_in, body))
        if fade_out:
            sequence.append((Piece(i, span.frames - fade_out, fade_out), Piece(i + 1, 0, fade_out)))
        fade_in = fade_out
    return sequence


def _placed(sequence: Sequence[Piece | tuple[Piece, Piece]]) -> Iterator[tuple[int, int, Piece | tuple[Piece, Piece]]]:
    """Each item of ``sequence`` with its first video frame and its frame count."""
    at = 0
    for item in sequence:
        count = item[0].count if isinstance(item, tuple) else item.count
        yield at, count, item
        at += count


def window_pieces(
    sequence: Sequence[Piece | tuple[Piece, Piece]], first: int, end: int
) -> list[Piece | tuple[Piece, Piece]]:
    """The pieces of frames ``first .. end - 1`` of the video: bodies cut at the window's edges.

    A window edge inside a crossfade is refused (:func:`plan_segments` never places one there): the
    two halves would fade with different timing.
    """
    window: list[Piece | tuple[Piece, Piece]] = []
    for at, count, item in _placed(sequence):
        low, high = max(first, at), min(end, at + count)
        if low < high:
            if isinstance(item, Piece):
                window.append(Piece(item.slide, item.first + low - at, high - low))
            elif (low, high) == (at, at + count):
                window.append(item)
            else:
                raise EncodeError(f"internal segment error: frames {first}..{end} cut the crossfade at {at}")
    return window


#: The work of a frame that repeats the one before (not encoded; see :func:`changing_frames`) against
#: one that is encoded, when a video is cut into segments of equal work.
REPEAT_WORK = 0.05


#: The wait for one sprite picture a segment shows (drawn the first time, cut and written) before
#: that segment can start, against encoding one frame: a picture is written while the next track is
#: drawn, and the drawing shares the cores with the segments already running. With 0.15 the sample
#: explainer's two segments end within about 0.2 s of each other, in youtube and in story (0.3, from
#: before the writes overlapped the drawing, left the second 0.2 to 0.7 s early).
PICTURE_WORK = 0.15


def plan_segments(
    timeline: VideoTimeline,
    count: int,
    min_frames: int,
    changing: Sequence[int] | None = None,
    whole: Sequence[tuple[int, int]] = (),
    pictures: Sequence[tuple[int, int]] = (),
) -> tuple[tuple[int, int], ...]:
    """Frame ranges ``(first, end)`` cutting the video into at most ``count`` segments that finish
    together.

    A frame's work is 1; with ``changing`` (the frames encoded, see :func:`changing_frames`) any other
    frame's is ``REPEAT_WORK``. Segments start one after another, each once its sprite pictures are
    made (``pictures``: the first and end frame each sprite picture shows between, PICTURE_WORK
    each), so a later segment gets less work by what the ones before it waited. Cuts fall on the
    frame nearest that split that is not inside a crossfade or one of the ``whole`` frame ranges (a
    sprite's fade), and no segment is shorter than ``min_frames`` (a short video stays whole): each
    segment is encoded on its own, starting on a keyframe, and the segments are joined without
    re-encoding.
    """
    total = timeline.total_frames
    count = max(1, min(count, total // max(1, min_frames)))
    # no cut inside a crossfade, nor inside or at the first frame of a ``whole`` range (a fading
    # sprite's first frame must not be a segment's first: its picture's time would be 0, not half a
    # frame early like every other, and the fade would be off by half a frame)
    blocked = [(at + 1, at + count) for at, count, item in _placed(plan_pieces(timeline)) if isinstance(item, tuple)]
    blocked += whole
    work = [1.0 if changing is None else REPEAT_WORK] * total
    for n in changing or ():
        work[n] = 1.0
    before = [0.0]  # before[f]: the work of frames 0 .. f - 1
    for w in work:
        before.append(before[-1] + w)
    starts = sorted(a for a, _ in pictures)
    ends = sorted(b for _, b in pictures)

    def prep(first: int, end: int) -> float:
        """The work of making the pictures frames first .. end - 1 show."""
        shown = len(pictures) - (len(starts) - bisect_left(starts, end)) - bisect_right(ends, first)
        return PICTURE_WORK * shown

    def allowed(frame: int) -> bool:
        return all(not low <= frame < high for low, high in blocked)

    def cut_at(targets: Sequence[float]) -> list[int]:
        cuts = [0]
        for target in targets:
            candidates = [f for f in range(cuts[-1] + min_frames, total - min_frames + 1) if allowed(f)]
            if not candidates:
                break
            cuts.append(min(candidates, key=lambda f: abs(before[f] - target)))
        return cuts + [total]

    cuts = cut_at([before[total] * k / count for k in range(1, count)])
    for _ in range(3):  # the waits depend on the cuts: a few rounds settle them
        waited = [0.0]
        for a, b in zip(cuts[1:-1], cuts[2:], strict=True):
            waited.append(waited[-1] + prep(a, b))
        finish = (before[total] + sum(waited)) / len(waited)
        targets = list(accumulate(finish - w for w in waited))[:-1]
        cuts = cut_at(targets)
    return tuple(zip(cuts[:-1], cuts[1:], strict=True))


def _window_sequence(timeline: VideoTimeline, window: tuple[int, int] | None) -> list[Piece | tuple[Piece, Piece]]:
    sequence = plan_pieces(timeline)
    return sequence if window is None else window_pieces(sequence, *window)


def _slide_uses(sequence: Sequence[Piece | tuple[Piece, Piece]]) -> Counter[int]:
    """How many pieces of ``sequence`` (a crossfade: both of its own) each slide is shown in."""
    return Counter(piece.slide for item in sequence for piece in (item if isinstance(item, tuple) else (item,)))


def slides_shown(timeline: VideoTimeline, window: tuple[int, int] | None = None) -> tuple[int, ...]:
    """The slides frames ``window`` (None: all) show, in order: the inputs :func:`build_graph` reads."""
    return tuple(sorted(_slide_uses(_window_sequence(timeline, window))))


def build_graph(
    slide_sizes_px: Sequence[tuple[int, int]],
    motions: Sequence[MotionPlan | None],
    timeline: VideoTimeline,
    out_size_px: tuple[int, int],
    window: tuple[int, int] | None = None,
) -> FilterGraph:
    """The filter graph for slides given as inputs ``0 .. n-1``; ``motions[i]`` is None for a still.

    With ``window`` (first frame, end frame), the graph makes only those frames, its time starting
    at 0, and reads only the slides they show (listed in the graph's ``slides``, in input order).
    """
    width, height = out_size_px
    fps = timeline.fps
    sequence = _window_sequence(timeline, window)
    uses = _slide_uses(sequence)
    used = tuple(sorted(uses))
    chains = []
    files: dict[str, str] = {}
    # Each slide is converted (and for motion rescaled and padded) once, then split into its pieces.
    for input_index, i in enumerate(used):
        size, plan = slide_sizes_px[i], motions[i]
        if plan is None:
            fit = fit_window(size, out_size_px)
            cw, ch = max(1, round(fit.w)), max(1, round(fit.h))
            cx, cy = round(fit.x), round(fit.y)
            prepare = f"crop={cw}:{ch}:{cx}:{cy},scale={width}:{height}:{_TO_YUV},format=yuv420p"
        else:
            ww, wh = plan.working_size_px
            pad = plan.padding_px
            prepare = (
                f"scale={ww}:{wh}:{_TO_YUV},format=yuv420p,pad={ww + 2 * pad}:{wh + 2 * pad}:{pad}:{pad},"
                f"fillborders=left={pad}:right={pad}:top={pad}:bottom={pad}:mode=smear"
            )
        outputs = "".join(f"[p{i}_{k}]" for k in range(uses[i]))
        chains.append(f"[{input_index}:v]{prepare},split={uses[i]}{outputs}")

    taken: dict[int, int] = {}
    labels: list[str] = []

    def piece_chain(piece: Piece, label: str) -> None:
        k = taken.get(piece.slide, 0)
        taken[piece.slide] = k + 1
        plan = motions[piece.slide]
        chain = f"[p{piece.slide}_{k}]loop=loop={piece.count - 1}:size=1,settb=expr=1/{fps},setpts=N"
        if plan is not None:
            frames = plan.frames[piece.first : piece.first + piece.count]
            n = len(chains)
            commands, name = motion_commands(n, frames, fps), command_file_name(n)
            if commands.strip():  # (a piece of one frame, or one that holds still, has none)
                files[name] = commands
                chain += f",sendcmd=f={name}"
            first = frames[0]
            chain += (
                f",crop@c{n}=w={first.x.crop}:h={first.y.crop}:x={first.x.offset}:y={first.y.offset},"
                f"scale@s{n}=w={first.x.scaled}:h={first.y.scaled}:flags=bilinear,"
                f"crop@o{n}=w={width}:h={height}:x={first.x.out_offset}:y={first.y.out_offset}"
            )
        chains.append(f"{chain}[{label}]")

    for index, item in enumerate(sequence):
        if isinstance(item, Piece):
            piece_chain(item, f"b{index}")
            labels.append(f"b{index}")
            continue
        outgoing, incoming = item
        piece_chain(outgoing, f"fa{index}")
        piece_chain(incoming, f"fb{index}")
        # The outgoing frames, their opacity falling frame by frame (the fade's alpha), over the incoming
        # ones: the blend of xfade's fade at a quarter of its cost (xfade works in 4:4:4 only).
        chains.append(f"[fa{index}]format=yuva420p,fade=t=out:st=0:d={outgoing.count / fps:.6f}:alpha=1[fo{index}]")
        chains.append(f"[fb{index}][fo{index}]overlay=format=yuv420:eof_action=pass,format=yuv420p[x{index}]")
        labels.append(f"x{index}")
    # concat retimes to microseconds; back to one tick per frame.
    chains.append(
        f"{''.join(f'[{label}]' for label in labels)}concat=n={len(labels)}:v=1:a=0,"
        f"settb=expr=1/{fps},setpts=N,format=yuv420p[vout]"
    )
    return FilterGraph(text=";\n".join(chains), command_files=files, output="vout", slides=used)


#: Frames kept at each end of a part whatever they show (see :func:`changing_frames`): more than x264's
#: B-frames (3 at the presets used) plus one.
EDGE_FRAMES = 8


def _commanded(frame: FrameGeometry) -> tuple[int, ...]:
    """The values a frame's motion commands set (see :func:`motion_commands`)."""
    x, y = frame.x, frame.y
    return (x.crop, y.crop, x.offset, y.offset, x.scaled, y.scaled, x.out_offset, y.out_offset)


def changing_frames(
    sequence: Sequence[Piece | tuple[Piece, Piece]],
    motions: Sequence[MotionPlan | None],
    sprite_clips: Sequence[Sequence[tuple[int, int, int]]],
    overlay_times: Sequence[tuple[float, float | None]],
    fps: int,
    sprite_moves: Sequence[Sequence[tuple[int, int]]] = (),
) -> list[int]:
    """The frames of a window (its ``sequence`` of pieces, sprite clips and overlay times counted from
    the window's start) that can differ from the frame before: every other frame repeats its
    predecessor exactly, and need not be encoded at all.

    A still piece changes on its first frame, a moving one wherever its crop or scale does, a crossfade
    on every frame; a sprite where one of its clips begins or ends or it moves, an overlay where it comes on or
    goes off (with a frame either side: its times are seconds). The first and last few frames are
    always in: the encoder's decode order lags its frames by up to ``EDGE_FRAMES``, and a file's length
    is counted in decode order, so a part ends exactly where it should only if those frames are even.
    """
    total = sum(count for _, count, _ in _placed(sequence))
    keep = _edges(total)
    for at, count, item in _placed(sequence):
        if isinstance(item, tuple):
            keep.update(range(at, at + count))
            continue
        keep.add(at)
        plan = motions[item.slide]
        if plan is not None:
            frames = plan.frames
            keep.update(
                at + j
                for j in range(1, count)
                if _commanded(frames[item.first + j]) != _commanded(frames[item.first + j - 1])
            )
    for clips in sprite_clips:
        for _, first, count in clips:
            keep.update((first, first + count))
    for moves in sprite_moves:
        keep.update(frame for frame, _ in moves)
    for start, end in overlay_times:
        for seconds in (start, end):
            if seconds is not None:
                n = math.ceil(seconds * fps - 0.5)
                keep.update((n - 1, n, n + 1))
    return sorted(n for n in keep if 0 <= n < total)


def _edges(total: int) -> set[int]:
    """The first and last ``EDGE_FRAMES`` of a part ``total`` frames long."""
    return set(range(min(EDGE_FRAMES, total))) | set(range(max(0, total - EDGE_FRAMES), total))


def window_frames(changing: Sequence[int], first: int, end: int) -> list[int]:
    """The frames of a video's ``changing`` frames (see :func:`changing_frames`) that fall in its frames
    ``first .. end - 1``, counted from ``first``, with that part's own first and last frames: the same
    as :func:`changing_frames` of the part (a piece, sprite clip or overlay cut by the part's edge
    changes on its edge frame)."""
    return sorted({n - first for n in changing if first <= n < end} | _edges(end - first))


def frame_ranges(frames: Sequence[int]) -> list[tuple[int, int]]:
    """Sorted frame numbers as runs (first, last), both included."""
    runs: list[tuple[int, int]] = []
    for n in frames:
        if runs and n == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], n)
        else:
            runs.append((n, n))
    return runs


def _in_ranges(runs: Sequence[tuple[int, int]]) -> str:
    """An ffmpeg expression, 1 for a frame number ``n`` in one of ``runs`` and 0 otherwise: a balanced
    tree of ``if``, as ffmpeg refuses a long flat sum (its parser nests one level per term)."""
    if len(runs) == 1:
        (a, b) = runs[0]
        return f"eq(n,{a})" if a == b else f"between(n,{a},{b})"
    middle = len(runs) // 2
    return f"if(lt(n,{runs[middle][0]}),{_in_ranges(runs[:middle])},{_in_ranges(runs[middle:])})"


def with_kept_frames(graph: FilterGraph, frames: Sequence[int]) -> FilterGraph:
    """``graph`` passing on only ``frames`` of its output, each at its own time: the frames in between
    repeat their predecessor and are shown by it, as a player shows a variable-frame-rate video.

    The sprites and overlays laid on afterwards then work on the kept frames alone (every one of
    their changes falls on a kept frame, see :func:`changing_frames`).
    """
    text = graph.text.replace(f"[{graph.output}]", f"[{graph.output}_every]")
    text += f";\n[{graph.output}_every]select='{_in_ranges(frame_ranges(frames))}'[{graph.output}]"
    return replace(graph, text=text)


def on_frame_grid(graph: FilterGraph, fps: int, frames: int) -> FilterGraph:
    """``graph`` without the frames an overlay passes on between two video frames (at the instant a
    sprite changes) and without any after the last of ``frames``, retimed to one tick per frame."""
    n = f"round(t*{fps})"
    keep = f"lt(abs(t*{fps}-{n}),0.25)*lt({n},{frames})"
    text = graph.text.replace(f"[{graph.output}]", f"[{graph.output}_grid]")
    text += f";\n[{graph.output}_grid]select='{keep}',settb=expr=1/{fps},setpts=round(PTS)[{graph.output}]"
    return replace(graph, text=text)


def with_overlays(
    graph: FilterGraph,
    overlays: Sequence[tuple[tuple[int, int], float, float | None]],
    first_input: int,
    fps: int,
) -> FilterGraph:
    """``graph`` with pictures laid over its output: ``(position, start_s, end_s)`` for inputs
    ``first_input ..``, each a single RGBA frame repeated (``eof_action=repeat``) while enabled.

    Overlays go on after the motion and crossfades, so a badge or caption never moves or fades.
    """
    if not overlays:
        return graph
    chains = [graph.text.replace(f"[{graph.output}]", "[base]")]
    previous = "base"
    for k, ((x, y), start, end) in enumerate(overlays):
        label = graph.output if k == len(overlays) - 1 else f"ov{k}"
        enable = ""
        if start > 0 or end is not None:
            # Frame n shows at t = n / fps; half a frame of slack keeps float rounding out of it.
            low = start - 0.5 / fps
            high = f"*lt(t,{end - 0.5 / fps:.6f})" if end is not None else ""
            enable = f":enable='gte(t,{low:.6f}){high}'"
        chains.append(
            f"[{previous}][{first_input + k}:v]overlay=x={x}:y={y}:format=yuv420:eof_action=repeat{enable},"
            f"format=yuv420p[{label}]"
        )
        previous = label
    return replace(graph, text=";\n".join(chains))


def concat_list(sprite_clips: Sequence[tuple[int, int, int]], fps: int, picture: str, blank: str) -> str:
    """A concat-demuxer list showing picture ``i`` (file name ``picture.format(i)``) for its clips and
    the transparent ``blank`` between them, from frame 0.

    Every change is timed half a frame early so float rounding can never show a picture a frame late;
    times come from whole frames, so they never drift. The last entry is repeated, as the demuxer
    needs, for its duration to count.
    """
    entries: list[tuple[str, int]] = []
    cursor = 0
    for index, first, count in sprite_clips:
        if first > cursor:
            entries.append((blank, first - cursor))
        entries.append((picture.format(index), count))
        cursor = first + count
    lines = ["ffconcat version 1.0"]
    boundary = 0.0
    frames = 0
    # A picture file's timestamps count in 1/framerate (1/25 s unless told): at 2 * fps every change
    # time (a whole frame less a half) lies exactly on that grid instead of up to 20 ms off it.
    rate = f"option framerate {2 * fps}"
    for name, count in entries:
        frames += count
        nxt = (frames - 0.5) / fps
        lines += [f"file '{name}'", rate, f"duration {nxt - boundary:.6f}"]
        boundary = nxt
    lines += [f"file '{entries[-1][0]}'", rate]
    return "\n".join(lines) + "\n"


#: A sprite as the graph lays it on: (position, start frame, end frame, fade-in frames, fade-out
#: frames, moves: (frame, pixels lower) from that frame on), in the frames of the part.
SpriteLayer = tuple[tuple[int, int], int, int, int, int, tuple[tuple[int, int], ...]]

#: An ``overlay`` filter copies each frame that passes it before drawing on it (the frame is shared
#: with the filters before it) for as long as its sprite has a picture still to come: from the part's
#: first frame, the sprite shown or not. Laying each sprite on only in a window of the part where it
#: shows spares the frames before it those copies (about 0.3 ms each for a 1080p frame here). A cut
#: into windows costs about as much as this many copies: the pictures of the sprites that cross it
#: are read again and the frames pass a branch more.
WINDOW_COST = 20


def sprite_windows(
    total: int,
    starts: Sequence[int],
    fades: Sequence[tuple[int, int]],
    kept: Sequence[int] | None = None,
) -> tuple[tuple[int, int], ...]:
    """Frame ranges ``(first, end)`` covering frames ``0 .. total - 1`` of a part, cut where sprites
    begin (``starts``), so that each sprite is laid on in the windows it shows in only.

    A cut moves back out of any sprite fade (``fades``: ranges ``(first, end)``), which a window
    keeps whole. It is made where it spares more copies than WINDOW_COST: the frames passed on
    (``kept``, None: every frame) between the cut before it and it, times the sprites that begin
    between it and the next cut considered.
    """
    cuts: list[int] = []
    for start in sorted(set(starts)):
        cut = start
        while any(low < cut < high for low, high in fades):
            cut = max(low for low, high in fades if low < cut < high)
        if 0 < cut < total and (not cuts or cut > cuts[-1]):
            cuts.append(cut)
    passed = [1] * total
    if kept is not None:
        passed = [0] * total
        for n in kept:
            passed[n] = 1
    before = list(accumulate(passed, initial=0))
    made = [0]
    for k, cut in enumerate(cuts):
        following = cuts[k + 1] if k + 1 < len(cuts) else total
        beginning = sum(1 for s in starts if cut <= s < following)
        if (before[cut] - before[made[-1]]) * beginning > WINDOW_COST:
            made.append(cut)
    bounds = [*made, total]
    return tuple(zip(bounds[:-1], bounds[1:], strict=True))


def _stepped(var: str, steps: Sequence[tuple[str, str]]) -> str:
    """An ffmpeg expression of ``var`` going through ``steps`` (from, value) in order: the value of the
    last step whose ``from`` is at most ``var`` (the first step's ``from`` is never read), as a balanced
    tree of ``if``."""
    if len(steps) == 1:
        return steps[0][1]
    middle = len(steps) // 2
    return f"if(lt({var},{steps[middle][0]}),{_stepped(var, steps[:middle])},{_stepped(var, steps[middle:])})"


def _retimed(kept: Sequence[int]) -> str:
    """A ``setpts`` expression giving the ``N``-th frame passed on the time of ``kept[N]``: a step per
    run of consecutive frames."""
    steps: list[tuple[str, str]] = []  # from the N of the run's first frame: N plus what it lags its frame by
    count = 0
    for first, last in frame_ranges(kept):
        steps.append((str(count), f"N+{first - count}"))
        count += last - first + 1
    return _stepped("N", steps)


def _moved(y: int, moves: Sequence[tuple[int, int]], fps: int) -> str:
    """An overlay's ``y``: ``y`` itself, or with ``moves`` an expression of the frame's time (``overlay``
    evaluates it on every frame) giving ``y`` plus the pixels the sprite has moved down by then, each
    move counted from half a frame before its frame."""
    if not moves:
        return str(y)
    steps = [(f"{(frame - 0.5) / fps:.6f}", str(y + px)) for frame, px in moves]
    if moves[0][0] > 0:
        steps.insert(0, ("0", str(y)))  # in place until the first move
    return f"'{_stepped('t', steps)}'"


def with_sprites(
    graph: FilterGraph,
    windows: Sequence[tuple[tuple[int, int], Sequence[tuple[int, SpriteLayer]]]],
    fps: int,
    kept: Sequence[int] | None = None,
) -> FilterGraph:
    """``graph`` with sprite sequences laid over its output, window by window: for each window
    ``(first, end)`` of frames (see :func:`sprite_windows`), the sprites shown there as ``(input,
    layer)``, in the order they are laid on, each input a concat-demuxer sequence of RGBA pictures
    (a picture per frame where it fades) timed from the part's first frame. ``kept``: the frames
    the graph passes on (see :func:`with_kept_frames`; None: every frame), given back their own
    times after the windows are joined.

    overlay takes, for each frame of the video, the latest sprite picture at or before it, so a
    picture shown for two seconds is decoded and converted once. A fade scales the picture's alpha
    as a crossfade scales the incoming card's (k / n on its k-th frame of n), by the picture's time,
    which the concat list puts half a frame before the frame it is shown on.
    """
    if not any(layers for _, layers in windows):
        return graph
    chains = [graph.text.replace(f"[{graph.output}]", "[sbase]")]
    if len(windows) > 1:
        branches = "".join(f"[sw{j}]" for j in range(len(windows)))
        chains.append(f"[sbase]split={len(windows)}{branches}")
    for j, ((first, end), layers) in enumerate(windows):
        if len(windows) == 1:
            previous, laid = "sbase", graph.output
        else:
            # the window's frames, by their times (one tick a frame): the others are dropped at once
            previous, laid = (f"sw{j}t" if layers else f"sw{j}out"), f"sw{j}laid"
            since = f"start_pts={first}:" if first else ""
            chains.append(f"[sw{j}]trim={since}end_pts={end}[{previous}]")
        for k, (source, ((x, y), start, stop, fade_in, fade_out, moves)) in enumerate(layers):
            label = laid if k == len(layers) - 1 else f"sp{j}_{k}"
            low, high = (start - 0.5) / fps, (stop - 0.5) / fps
            fades = ""
            # (a fade from a part's first frame, which plan_segments avoids, starts at 0: the picture's time)
            if fade_in:
                fades += f",fade=t=in:st={max(0.0, low):.6f}:d={fade_in / fps:.6f}:alpha=1"
            if fade_out:
                at = max(0.0, (stop - fade_out - 0.5) / fps)
                fades += f",fade=t=out:st={at:.6f}:d={fade_out / fps:.6f}:alpha=1"
            chains.append(f"[{source}:v]format=yuva420p{fades}[sin{j}_{k}]")
            chains.append(
                f"[{previous}][sin{j}_{k}]overlay=x={x}:y={_moved(y, moves, fps)}:format=yuv420:eof_action=repeat:"
                f"enable='between(t,{low:.6f},{high:.6f})',format=yuv420p[{label}]"
            )
            previous = label
        if layers and len(windows) > 1:
            # Once the window's last frame has passed, an overlay whose sprite has pictures still to
            # come passes that frame on again at each of their times: those copies are dropped.
            last = end - 1 if kept is None else max(n for n in kept if first <= n < end)
            chains.append(f"[{laid}]trim=end_pts={last + 1}[sw{j}out]")
    if len(windows) > 1:
        # concat retimes (to microseconds, each window after the one before as if its frames were
        # evenly spaced): every frame is given back its own time
        timing = "N" if kept is None else _retimed(kept)
        joined = "".join(f"[sw{j}out]" for j in range(len(windows)))
        chains.append(f"{joined}concat=n={len(windows)}:v=1:a=0,settb=expr=1/{fps},setpts='{timing}'[{graph.output}]")
    return replace(graph, text=";\n".join(chains))
