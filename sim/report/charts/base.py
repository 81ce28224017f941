"""The look and output shared by the pack's charts: palette, footnote (:class:`ChartMeta`), label
wrapping, a target's label, and a figure's bytes (:func:`render`) or file (:func:`save`).

Colours are the Okabe-Ito colour-blind-safe palette; every series also differs by line style,
marker or hatch so the charts stay readable when printed in grey. SVG output is reproducible
(fixed hash salt, no date).
"""

from __future__ import annotations

import io
import struct
import unicodedata
import zlib
from dataclasses import dataclass
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from sim.report.texts.formats import pct0
from sim.report.texts.labels import indicator_label, op_text, threshold_text
from sim.report.texts.linebreak import wrap
from sim.report.texts.words import text
from sim.store import atomic_write_bytes

# Okabe-Ito colour-blind-safe palette
BLACK, ORANGE, SKY, GREEN, YELLOW, BLUE, VERMILION, PURPLE = (
    "#000000",
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#F0E442",
    "#0072B2",
    "#D55E00",
    "#CC79A7",
)
GREY = "#999999"
SERIES = [BLUE, VERMILION, GREEN, ORANGE, PURPLE, SKY, BLACK, YELLOW]
LINESTYLES = ["-", "--", "-.", ":", (0, (5, 1, 1, 1)), (0, (1, 1))]
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]
FOOT_COLOUR = "#333333"
PACK_DPI = 150
SLIDE_SIZE = (12.4, 5.4)
"""Inches of a deck chart: the picture area below a 16:9 slide's title (1860 x 810 pixels at
:data:`PACK_DPI`), so nothing is scaled on the screen."""
"""Resolution of the pack's PNG charts (the study charts keep :data:`sim.report.studies.chart_style.STUDY_DPI`)."""
SVG_HASH_SALT = "zonesim"
"""matplotlib derives SVG element ids from this salt (rcParams ``svg.hashsalt``) instead of a random one."""


@dataclass(frozen=True)
class ChartMeta:
    """What every chart states in its footnote."""

    zone: str
    scenario: str
    n: int
    seed: object
    run_date: str
    interval: str = "Wilson score"

    def footer(self, lang: str, shows: str = "precision") -> str:
        """The footnote; ``shows`` names what the chart's intervals are: "precision" (error bars of
        P(hit), simulation precision) or "spread" (quantile bands of the replications)."""
        what = text(f"shows_{shows}", lang, interval=self.interval)
        return text(
            "footer",
            lang,
            zone=self.zone,
            scenario=self.scenario,
            n=self.n,
            seed=self.seed,
            date=self.run_date,
            shows=what,
        )


def footnote(fig, s: str) -> None:
    """Write ``s`` as the figure's footnote, bottom left, in 7.5 pt or smaller so that it fits the
    figure's width (a Latin character is about 0.6 em wide, a CJK character about 1 em)."""
    ems = sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.6 for c in s)
    size = min(7.5, 0.97 * fig.get_figwidth() * 72 / max(ems, 1.0))
    fig.text(0.01, 0.006, s, fontsize=max(size, 5.0), color=FOOT_COLOUR, ha="left", va="bottom")


def wrap_label(s: str, width: int = 46) -> str:
    """Wrap a label to lines of about ``width`` Latin characters (a CJK character counts two), by
    the Chinese and English rules of :func:`sim.report.texts.linebreak.break_lines`."""
    return wrap(s, width)


def pct_text(p: float) -> str:
    """A probability as a whole percent ("–" for NaN, "< 0.5%" rather than "0%"): :func:`pct0`."""
    return pct0(p)


def target_label(row, lang: str, scenario) -> str:
    """Label of a summary.csv row: indicator, comparison and threshold, "(alternative ...)" when inactive."""
    if str(row["target_id"]).startswith("ALL_"):
        return indicator_label("all_targets", lang)
    lab = indicator_label(row["indicator"], lang, scenario)
    if row["unit"] == "0/1":
        out = lab
    else:
        out = f"{lab} {op_text(row['op'])} {threshold_text(row['threshold'], row['unit'], lang)}"
    if not row["active"]:
        out += text("inactive", lang)
    return out


# ----------------------------------------------------------------------------- output


def render(fig: plt.Figure, formats=("png", "svg"), dpi: int = PACK_DPI, png_level: int = 6) -> dict[str, bytes]:
    """The figure's bytes in each format, then close it. ``png_level``: zlib level of the PNG
    (the pack uses 1: a quarter less time for files about 2% larger)."""
    out = {}
    try:
        with plt.rc_context({"svg.hashsalt": SVG_HASH_SALT}):
            for f in formats:
                if f == "png":
                    out[f] = _png(fig, dpi, png_level)
                    continue
                buf = io.BytesIO()
                extra: dict[str, Any] = {"pil_kwargs": {"compress_level": png_level}} if f == "png" else {}
                fig.savefig(
                    buf,
                    format=f,
                    dpi=dpi,
                    metadata={"Date": None} if f == "svg" else None,
                    **extra,
                )
                out[f] = buf.getvalue()
    finally:
        plt.close(fig)
    return out


def _png(fig: plt.Figure, dpi: int, level: int) -> bytes:
    """The figure as a PNG, RGB where every pixel is opaque (the pack's charts, on white): a
    quarter fewer bytes to compress than matplotlib's RGBA, and a PDF embeds it without splitting
    off an alpha channel to decompress and compress again."""
    fig.set_dpi(dpi)
    fig.canvas.draw()
    rgba = np.asarray(fig.canvas.buffer_rgba())  # type: ignore[attr-defined]  # Agg's canvas
    return png_bytes(rgba[..., :3] if (rgba[..., 3] == 255).all() else rgba, dpi, level)


def png_bytes(pixels: np.ndarray, dpi: int, level: int) -> bytes:
    """An 8-bit RGB or RGBA PNG of ``pixels`` (rows x columns x 3 or 4), every row unfiltered and
    the whole compressed by zlib at ``level``, with its resolution (pHYs).

    Pillow tries all five PNG row filters on every row and keeps the best: for the pack's charts
    (large flat areas, level 1) that took 2.5 times as long for files about 1% smaller."""
    h, w, channels = pixels.shape
    rows = np.empty((h, w * channels + 1), dtype=np.uint8)
    rows[:, 0] = 0  # filter type None
    rows[:, 1:] = pixels.reshape(h, -1)
    per_metre = round(dpi / 0.0254)
    return b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            _chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2 if channels == 3 else 6, 0, 0, 0)),
            _chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1)),
            _chunk(b"IDAT", zlib.compress(rows.data, level)),
            _chunk(b"IEND", b""),
        )
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def save(fig: plt.Figure, path, dpi: int = PACK_DPI) -> None:
    """Save a figure atomically (format from the file suffix: .png, .svg, .pdf), then close it."""
    fmt = str(path).rsplit(".", 1)[-1]
    atomic_write_bytes(path, render(fig, (fmt,), dpi)[fmt])
