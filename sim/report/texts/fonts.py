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
    """Make the CJK font the first sans-serif choice (Latin text renders in it too)."""
    name = cjk_font_name()
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["font.sans-serif"] = [name, "DejaVu Sans"]
    matplotlib.rcParams["axes.unicode_minus"] = False
    return name
