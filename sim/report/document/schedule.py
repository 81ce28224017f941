"""The pack's jobs on a pool of processes, each started as soon as the jobs it needs have finished.

A pack is a few long jobs (the charts of a language, in shares; each language's report) that
later jobs need, and a few short ones. Run in rounds (all charts, then all documents), a round
waits for its slowest job while the other processes idle; here a process that finishes takes
the first job in the list whose needs are met, so long jobs listed first run first and the short
ones fill the end. Processes start as the experiment executors start theirs (the platform's
default method).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Job:
    """``fn(*args)``, or ``fn(*args, {key: result})`` with the results of the jobs ``needs`` names.

    ``fn`` is a module-level function, so that a worker process can run it."""

    key: Hashable
    fn: Callable[..., Any]
    args: tuple = ()
    needs: tuple[Hashable, ...] = ()


def run_jobs(jobs: Sequence[Job], workers: int) -> Iterator[tuple[Hashable, Any]]:
    """Run ``jobs`` on ``workers`` processes (1: here, in order); yields (key, result) as each
    finishes. At most ``workers`` run at once. A job's error is raised here once the jobs
    already running have finished; a job that needs a job not given raises ValueError."""
    keys = {j.key for j in jobs}
    missing = {n for j in jobs for n in j.needs} - keys
    if missing or len(keys) != len(jobs):
        raise ValueError(f"jobs need {sorted(map(str, missing))} (not given) or repeat a key")
    todo = list(jobs)
    done: dict[Hashable, Any] = {}

    def ready() -> Job | None:
        job = next((j for j in todo if all(n in done for n in j.needs)), None)
        if job is not None:
            todo.remove(job)
        return job

    def call_args(job: Job) -> tuple:
        return (*job.args, {n: done[n] for n in job.needs}) if job.needs else job.args

    if workers <= 1 or len(jobs) <= 1:
        while (job := ready()) is not None:
            done[job.key] = job.fn(*call_args(job))
            yield job.key, done[job.key]
        if todo:
            raise ValueError(f"jobs {[str(j.key) for j in todo]} wait on each other")
        return
    with ProcessPoolExecutor(max_workers=min(workers, len(jobs))) as pool:
        running: dict[Future, Job] = {}
        while todo or running:
            while len(running) < workers and (job := ready()) is not None:
                running[pool.submit(job.fn, *call_args(job))] = job
            if not running:
                raise ValueError(f"jobs {[str(j.key) for j in todo]} wait on each other")
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for f in finished:
                job = running.pop(f)
                done[job.key] = f.result()
                yield job.key, done[job.key]
