"""A CJK font for charts, installed with the project (the mplfonts wheel ships Noto Sans CJK SC).

We register the font file with matplotlib directly rather than through mplfonts' own set-up
functions, so nothing is downloaded or written to the user's matplotlib configuration.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import matplotlib
from matplotlib import font_manager

FONT_FILE = "NotoSansCJKsc-Regular.otf"


def cjk_font_path() -> str:
    """Path of the bundled CJK font file (also embedded in the PDF report)."""
    return str(resources.files("mplfonts") / "fonts" / FONT_FILE)


@lru_cache(maxsize=1)
def cjk_font_name() -> str:
    """Register the bundled CJK font and return its family name."""
    path = cjk_font_path()
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


def use_cjk_font() -> str:
    """Make the CJK font the first sans-serif choice (Latin text renders in it too), and place axes
    titles without measuring the axes under them.

    By default matplotlib measures, for every titled axes at every draw, the tick labels it may
    have along its top and the offset text ("1e6") it may have above its y axis, to move the
    title over them; no chart here puts ticks on top, and with offsets off (tick labels read as
    whole numbers, never as a "+1.4e4" offset) there is nothing to move over: the titles stay at
    the top of their axes, where they were (the pack's charts are pixel for pixel the same), and the
    drawing skips what was about a tenth of the charts' time in a profile."""
    name = cjk_font_name()
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["font.sans-serif"] = [name, "DejaVu Sans"]
    matplotlib.rcParams["axes.unicode_minus"] = False
    matplotlib.rcParams["axes.titley"] = 1.0
    matplotlib.rcParams["axes.formatter.useoffset"] = False
    return name
