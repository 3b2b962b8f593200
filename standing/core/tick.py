"""Time-driven work ("standing tick"): every app registers the jobs due at a moment (in its
AppConfig.ready); each job is idempotent, so running the tick twice for the same moment does
nothing more. Each job runs on its own: one that fails is logged and reported, and the others
still run."""

import logging

from django.utils import timezone

from standing.core.registry import Registry

log = logging.getLogger(__name__)

# callables (now) -> str | None: a line for the report when the job did something; keyed by
# "module.qualname" (registering the same job twice is a programming error).
TICK_JOBS = Registry("tick jobs")


def job_key(job) -> str:
    return f"{job.__module__}.{job.__qualname__}"


def register(job, *, order=None):
    """Add a tick job once, in AppConfig.ready()."""
    return TICK_JOBS.register(job, key=job_key(job), order=order, module=job.__module__)


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
