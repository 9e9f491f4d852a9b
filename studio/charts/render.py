"""Charts drawn with matplotlib as SVG with live text: the page engine sets their words in the brand's
fonts, so chart labels stay searchable and copyable in the PDF (ң ө ү included).

matplotlib is imported here only (about 0.8 s once per process); a chart then takes about 30 ms.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path
from typing import Any

from studio.charts.data import ChartSpec, format_number
from studio.colors import RGB

PT_PER_INCH = 72.0


def _hex(rgb: RGB) -> str:
    return "#{:02X}{:02X}{:02X}".format(*rgb)


@cache
def _pyplot(fonts: tuple[Path, ...]) -> Any:
    import matplotlib

    matplotlib.use("svg")
    from matplotlib import font_manager
    from matplotlib import pyplot as plt

    for font in fonts:
        font_manager.fontManager.addfont(str(font))
    return plt


def font_family(font: Path) -> str:
    """The family name inside a font file (what SVG text and the page engine ask for)."""
    from fontTools.ttLib import TTFont

    with TTFont(str(font), lazy=True) as tt:
        name = tt["name"]
        return str(name.getDebugName(16) or name.getDebugName(1))


def render_chart_svg(
    spec: ChartSpec,
    size_pt: tuple[float, float],
    fonts: tuple[Path, Path],
    palette: tuple[RGB, ...],
    ink: RGB,
    text_pt: float,
) -> str:
    """The chart as an SVG document of ``size_pt`` (points); ``fonts`` = (regular, bold) font files."""
    plt = _pyplot(fonts)
    family = font_family(fonts[0])
    colours = [_hex(c) for c in palette]
    ink_hex = _hex(ink)
    rc = {
        "font.family": family,
        "font.size": text_pt,
        "svg.fonttype": "none",  # live text, set by the page engine in the brand's font
        "svg.hashsalt": "taza",  # stable ids: the same chart gives the same bytes
        "text.color": ink_hex,
        "axes.labelcolor": ink_hex,
        "xtick.color": ink_hex,
        "ytick.color": ink_hex,
        "axes.edgecolor": ink_hex,
        "axes.linewidth": 0.6,
    }
    with plt.rc_context(rc):
        fig = plt.figure(figsize=(size_pt[0] / PT_PER_INCH, size_pt[1] / PT_PER_INCH))
        try:
            ax = fig.add_subplot()
            if spec.type == "pie":
                _pie(ax, spec, colours, text_pt)
            else:
                _xy(ax, spec, colours, ink_hex, text_pt)
            fig.tight_layout(pad=0.3)
            buf = io.StringIO()
            fig.savefig(buf, format="svg", transparent=True, metadata={"Date": None, "Creator": None})
        finally:
            plt.close(fig)
    return buf.getvalue()


def _xy(ax: Any, spec: ChartSpec, colours: list[str], ink: str, text_pt: float) -> None:
    n = len(spec.series)
    positions = list(range(len(spec.categories)))
    width = 0.8 / n
    for k, series in enumerate(spec.series):
        colour = colours[k % len(colours)]
        if spec.type == "bar":
            xs = [p - 0.4 + width * (k + 0.5) for p in positions]
            bars = ax.bar(xs, series.values, width * 0.92, color=colour, label=series.name or None)
            for bar, value in zip(bars, series.values, strict=True):
                ax.annotate(
                    format_number(value),
                    (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                    xytext=(0, 2),
                    textcoords="offset points",
                    ha="center",
                    va="bottom",
                    fontsize=text_pt * 0.9,
                    fontweight="bold",
                )
        else:
            ax.plot(positions, series.values, color=colour, linewidth=2, marker="o", label=series.name or None)
            for x, value in zip(positions, series.values, strict=True):
                ax.annotate(
                    format_number(value),
                    (x, value),
                    xytext=(0, 5),
                    textcoords="offset points",
                    ha="center",
                    fontsize=text_pt * 0.9,
                    fontweight="bold",
                )
    ax.set_xticks(positions, spec.categories)
    top = max(max(s.values) for s in spec.series)
    ax.set_ylim(0, top * 1.18 if top > 0 else 1)
    ax.yaxis.set_major_formatter(lambda v, _pos: format_number(v))
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.tick_params(axis="y", length=0)
    if spec.type == "bar":
        ax.set_yticks([])  # every bar carries its value: an axis would only repeat it
        ax.tick_params(axis="x", length=0)
    else:
        ax.grid(axis="y", color=ink, alpha=0.15, linewidth=0.5)
        ax.set_axisbelow(True)
    if spec.unit:
        ax.set_ylabel(spec.unit)
    if n > 1 or any(s.name for s in spec.series):
        # Above the plot, left-aligned: never over a bar or a value label.
        ax.legend(
            frameon=False,
            loc="lower left",
            bbox_to_anchor=(0, 1.0),
            ncols=min(n, 3),
            fontsize=text_pt * 0.9,
            borderaxespad=0.2,
            handlelength=1.2,
        )


def _pie(ax: Any, spec: ChartSpec, colours: list[str], text_pt: float) -> None:
    values = spec.series[0].values
    total = sum(values) or 1.0
    wedges, _ = ax.pie(
        values,
        colors=[colours[i % len(colours)] for i in range(len(values))],
        startangle=90,
        counterclock=False,
        wedgeprops={"width": 0.42, "edgecolor": "white", "linewidth": 1.2},
    )
    labels = [f"{c} — {format_number(round(100 * v / total))} %" for c, v in zip(spec.categories, values, strict=True)]
    ax.legend(wedges, labels, frameon=False, loc="center left", bbox_to_anchor=(1.0, 0.5), fontsize=text_pt)
    ax.set_aspect("equal")
