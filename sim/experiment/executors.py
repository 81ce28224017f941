"""Where replications run: local processes (default) or a Dask distributed cluster.

An executor takes a module-level function and a list of argument tuples and yields results as
they finish (any order). The engine puts them back in row order, so the executor never
changes the output. Nothing here changes the multiprocessing start method, so the package
imports safely in notebooks and under any start method. The engine's replications start
through :class:`LocalExecutor`; the package's other pools (the meeting pack's jobs, a run's
charts, the studio's workers) are plain process pools that likewise leave the start method alone.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import Protocol

from sim.errors import MachineError, UserError

CONNECT_TIMEOUT = 5
"""Seconds to wait for a Dask scheduler before giving up (a reachable one answers in well under one)."""


class SchedulerUnreachable(MachineError):
    """The Dask scheduler did not answer within :data:`CONNECT_TIMEOUT` seconds."""


class Executor(Protocol):
    def map_unordered(self, fn: Callable, args: list[tuple]) -> Iterator: ...


class LocalExecutor:
    """Serial in-process when workers == 1, else a process pool of ``workers`` (default: all cores).

    ``meanwhile``: work of the caller's own that need not wait for the results, called once per
    map in this process while the workers compute (after the first tasks are handed out; serially,
    before the first). The ``run`` command loads its chart libraries there, which would otherwise
    delay the workers' start or follow their end."""

    def __init__(self, workers: int | None = None, meanwhile: Callable[[], object] | None = None):
        self.workers = workers or os.cpu_count() or 1
        self.meanwhile = meanwhile

    def map_unordered(self, fn, args):
        if self.workers == 1 or len(args) <= 1:
            if self.meanwhile is not None:
                self.meanwhile()
            for a in args:
                yield fn(*a)
            return
        with ProcessPoolExecutor(max_workers=min(self.workers, len(args))) as pool:
            # keep at most 2 tasks per worker in flight: memory stays flat on long runs
            pending: set[Future] = set()
            queue = list(args)
            started = False
            while queue or pending:
                while queue and len(pending) < 2 * self.workers:
                    pending.add(pool.submit(fn, *queue.pop(0)))
                if not started and self.meanwhile is not None:
                    self.meanwhile()
                started = True
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for f in done:
                    yield f.result()


class DaskExecutor:
    """Runs chunks on a Dask distributed cluster given its scheduler address (or a Client).

    An address that does not answer within ``timeout`` seconds raises :class:`SchedulerUnreachable`."""

    def __init__(self, scheduler, timeout: float = CONNECT_TIMEOUT):
        try:
            from distributed import Client  # imported only when asked for
        except ImportError:
            raise UserError("--executor dask needs the distributed package: pip install 'zonesim[dask]'") from None
        self._own = not isinstance(scheduler, Client)
        if not self._own:
            self.client = scheduler
            return
        try:
            self.client = Client(scheduler, timeout=timeout)
        except (OSError, TimeoutError) as e:
            raise SchedulerUnreachable(
                f"--scheduler {scheduler}: no Dask scheduler answered within {timeout:g} s "
                f"({type(e).__name__}); check the address and that the cluster is up"
            ) from None
        except ValueError as e:
            raise UserError(
                f"--scheduler {scheduler}: not a scheduler address ({e}); expected e.g. tcp://10.0.0.5:8786"
            ) from None

    def map_unordered(self, fn, args):
        from distributed import as_completed

        futures = [self.client.submit(fn, *a, pure=False) for a in args]
        for f in as_completed(futures):
            yield f.result()

    def close(self):
        if self._own:
            self.client.close()
