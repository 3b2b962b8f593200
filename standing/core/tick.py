"""Time-driven work ("standing tick"): every app registers the jobs due at a moment (in its
AppConfig.ready); each job is idempotent, so running the tick twice for the same moment does
nothing more. Each job runs on its own: one that fails is logged and reported, and the others
still run."""

import logging

from django.utils import timezone

log = logging.getLogger(__name__)

# callables (now) -> str | None: a line for the report when the job did something.
TICK_JOBS = []


def register(job):
    """Add a tick job once (registering the same job twice is a programming error)."""
    if job in TICK_JOBS:
        raise ValueError(f"tick job {job.__module__}.{job.__qualname__} registered twice")
    TICK_JOBS.append(job)
    return job


def run_tick(now=None):
    now = now or timezone.now()
    lines = []
    for job in list(TICK_JOBS):
        try:
            line = job(now)
        except Exception as error:  # one job's failure must not stop the others
            log.exception("tick job %s failed", job.__qualname__)
            line = f"{job.__module__}.{job.__qualname__} failed: {type(error).__name__}: {error}"
        if line:
            lines.append(line)
    return lines
