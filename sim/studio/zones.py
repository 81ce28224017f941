"""The studio's zone picker: one page per zone file, served side by side.

The base scenario the studio was started with is served at ``/``; every zone file found under its
folder (a TOML file with a ``[zone]`` table, docs/zones.md: ``scenarios/examples/illustrative_*.toml``
and any a planner adds) at ``/zone/<name>/``, its page built the first time it is opened. Each
page has its own what-if runner, and opening one pauses the others' (two cores serve one zone
at a time); a paused page resumes its work when opened again.
"""

from __future__ import annotations

import contextlib
import functools
import html
import re
import threading
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import anyio
from starlette.applications import Starlette
from starlette.responses import HTMLResponse
from starlette.routing import Mount

from sim.errors import UserError


@dataclass(frozen=True)
class Zone:
    """A zone file the picker offers: ``href`` (its page), its names in Chinese and English, ``path``."""

    href: str
    name_zh: str
    name_en: str
    path: Path

    def name(self, lang: str) -> str:
        return self.name_zh if lang == "zh" else self.name_en


def _slug(path: Path) -> str:
    return re.sub(r"[^0-9A-Za-z_-]", "_", path.stem)


def zone_files(base: Path, name_zh: str, name_en: str) -> list[Zone]:
    """The base scenario (``/``), then every zone file under its folder, by path."""
    base = base.resolve()
    out = [Zone("/", name_zh, name_en, base)]
    seen = {"", *(_slug(base),)}
    for p in sorted(base.parent.rglob("*.toml")):
        if p.resolve() == base:
            continue
        try:
            zone = tomllib.loads(p.read_text(encoding="utf-8")).get("zone")
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            continue  # not a readable TOML file: not offered (the run command explains a broken file)
        if not isinstance(zone, dict):
            continue
        slug = _slug(p)
        while slug in seen:
            slug += "_"
        seen.add(slug)
        zh, en = str(zone.get("name_zh", p.stem)), str(zone.get("name_en", zone.get("name_zh", p.stem)))
        out.append(Zone(f"/zone/{slug}/", zh, en, p.resolve()))
    return out


class _Page:
    """One zone's page, built the first time it is asked for; opening it pauses the other pages."""

    def __init__(self, build: Callable[[], tuple], pages: list[_Page]):
        self.build, self.pages = build, pages
        self.app, self.runner = None, None
        self.lock = threading.Lock()

    def _get(self):
        with self.lock:
            if self.app is None:
                self.app, self.runner = self.build()
            return self.app

    async def __call__(self, scope, receive, send):
        try:
            app = self.app or await anyio.to_thread.run_sync(self._get)
        except UserError as e:  # a zone file that does not load: its one-line reason, on the page
            if scope["type"] == "http":
                page = f"<!DOCTYPE html><meta charset='utf-8'><p>{html.escape(str(e))}</p>"
                await HTMLResponse(page, status_code=400)(scope, receive, send)
            return
        if scope["type"] == "websocket":  # a page opened: the others stop computing
            for p in self.pages:
                if p is not self and p.runner is not None:
                    p.runner.pause()
        await app(scope, receive, send)


def studio_app(zones: list[Zone], build: Callable[[Zone], tuple]) -> Starlette:
    """One Starlette app serving every zone's page; ``build(zone)`` gives its (Shiny App, runner).
    The base's page is built now, so a broken base scenario stops the command before it serves."""
    pages: list[_Page] = []
    routes = []
    for z in zones[1:]:
        page = _Page(functools.partial(build, z), pages)
        pages.append(page)
        routes.append(Mount(z.href.rstrip("/"), app=page))
    first = _Page(lambda: build(zones[0]), pages)
    first._get()
    pages.append(first)
    routes.append(Mount("", app=first))

    @contextlib.asynccontextmanager
    async def lifespan(app):
        yield
        for p in pages:  # the server stops: each page's worker processes stop with it
            if p.runner is not None:
                await anyio.to_thread.run_sync(p.runner.close)

    return Starlette(routes=routes, lifespan=lifespan)
