"""The report's charts as PDF images: a tall chart cut into page-sized pieces (:func:`image_slices`)
and a PNG embedded as it is (:func:`image_source`).

A PDF's Flate-compressed image with PNG predictors is the PNG's own compressed rows: an 8-bit RGB
PNG that is not interlaced goes into the PDF byte for byte, where fpdf2 would decompress every
pixel and compress it again (a quarter of the PDF's time for the pack's 40 charts). Any other PNG
(an alpha channel, a palette, a colour profile) goes through fpdf2 as before.
"""

from __future__ import annotations

import hashlib
import io
import struct

import numpy as np
from fpdf import FPDF
from fpdf.image_datastructures import RasterImageInfo
from PIL import Image

from sim.report.charts.base import png_bytes

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PLAIN_CHUNKS = {b"IHDR", b"IDAT", b"IEND", b"pHYs", b"tEXt", b"zTXt", b"iTXt", b"tIME"}
"""Chunks that change nothing in how a PNG's pixels look (any other, e.g. a colour profile or a
transparent colour, sends the PNG through fpdf2)."""
SLICE_ZLIB_LEVEL = 1
"""zlib level of the pieces of a tall chart (the level of the pack's own PNGs)."""


def image_slices(png: bytes, rows: int) -> list[bytes]:
    """The PNG in pieces of at most ``rows`` pixel rows, each cut at the blankest row of the last
    fifth of its piece (between two panels or bars rather than through one)."""
    img = Image.open(io.BytesIO(png))
    pixels = np.asarray(img.convert("RGB"))
    dpi = img.info.get("dpi", (72, 72))[0]
    grey = np.asarray(Image.fromarray(pixels).convert("L"), dtype=float)
    ink = (grey < 245).sum(axis=1)
    height = pixels.shape[0]
    out, top = [], 0
    while top < height:
        bottom = min(top + rows, height)
        if bottom < height:
            lo = top + int(rows * 0.8)
            bottom = lo + int(np.argmin(ink[lo:bottom]))
        out.append(png_bytes(pixels[top : max(bottom, top + 1)], round(dpi), SLICE_ZLIB_LEVEL))
        top = max(bottom, top + 1)
    return out


def _raster(png: bytes) -> RasterImageInfo | None:
    """fpdf2's description of ``png`` with its compressed rows as the image data, or None when the
    PNG is not a plain 8-bit RGB one."""
    if not png.startswith(PNG_SIGNATURE):
        return None
    pos, head, data = len(PNG_SIGNATURE), None, []
    while pos + 8 <= len(png):
        size, kind = struct.unpack(">I4s", png[pos : pos + 8])
        body = png[pos + 8 : pos + 8 + size]
        pos += 12 + size
        if kind not in PLAIN_CHUNKS:
            return None
        if kind == b"IHDR":
            head = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            data.append(body)
        elif kind == b"IEND":
            break
    if head is None or not data:
        return None
    width, height, depth, colour, _compression, _filter, interlace = head
    if depth != 8 or colour != 2 or interlace:
        return None
    return RasterImageInfo(
        data=b"".join(data),
        w=width,
        h=height,
        cs="DeviceRGB",
        iccp=None,
        dpn=3,
        bpc=8,
        f="FlateDecode",
        inverted=False,
        dp=f"/Predictor 15 /Colors 3 /Columns {width}",
    )


def image_source(pdf: FPDF, png: bytes) -> str | io.BytesIO:
    """What to give ``pdf.image()`` for ``png``: the name under which its compressed rows wait in
    the document's image cache, or the PNG itself when it must be decoded."""
    info = _raster(png)
    if info is None:
        return io.BytesIO(png)
    name = "png:" + hashlib.sha256(png).hexdigest()
    images = pdf.image_cache.images
    if name not in images:
        info.update(i=len(images) + 1, usages=0, iccp_i=None)
        images[name] = info
    return name
