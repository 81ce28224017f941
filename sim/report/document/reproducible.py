"""Same results, same bytes: fixed dates and ids in the files of the meeting pack.

PDF, Excel and SVG writers stamp the current time (and SVG random ids) into their files by
default, so a pack rebuilt from the same results folder would differ byte for byte. Every
date written here is the run date from the manifest instead.
"""

from __future__ import annotations

import datetime as _dt
import io
import zipfile


def run_datetime(run_date: str) -> _dt.datetime:
    """Midnight UTC of a ``YYYY-MM-DD`` run date (1 January 1980, the zip epoch, if unreadable)."""
    try:
        d = _dt.date.fromisoformat(str(run_date))
    except ValueError:
        d = _dt.date(1980, 1, 1)
    return _dt.datetime(d.year, d.month, d.day, tzinfo=_dt.UTC)


def fixed_zip(data: bytes, when: _dt.datetime) -> bytes:
    """The same zip archive (e.g. an .xlsx) with every member stamped ``when``."""
    stamp = (max(when.year, 1980), when.month, when.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=stamp)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = info.external_attr
            dst.writestr(member, src.read(info.filename))
    return out.getvalue()
