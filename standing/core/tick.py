"""Time-driven work ("standing tick"): every app registers the jobs due at a moment; each job
is idempotent, so running the tick twice for the same moment does nothing more."""

from django.utils import timezone

# callables (now) -> str | None: a line for the report when the job did something.
TICK_JOBS = []


def register(job):
    TICK_JOBS.append(job)
    return job


def run_tick(now=None):
    now = now or timezone.now()
    return [line for job in TICK_JOBS if (line := job(now))]
