"""One value per live object: what is derived from an immutable object once (a scenario's arrays,
its parameter paths) and read by every replication of a chunk."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

K = TypeVar("K")
T = TypeVar("T")


def per_object(build: Callable[[K], T], size: int = 64) -> Callable[[K], T]:
    """``build(obj)`` computed once per object. The cache holds the object itself, so its id is
    never reused for another object while cached; at ``size`` objects it starts again."""
    cache: dict[int, tuple[K, T]] = {}

    def get(obj: K) -> T:
        hit = cache.get(id(obj))
        if hit is None or hit[0] is not obj:
            if len(cache) >= size:
                cache.clear()
            hit = cache[id(obj)] = (obj, build(obj))
        return hit[1]

    return get
