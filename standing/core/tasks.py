from datetime import timedelta

from django.tasks import task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from .tick import run_tick

TICK_EVERY = timedelta(minutes=1)
TICK_PATH = "standing.core.tasks.periodic_tick"


def _tick_pending():
    return DBTaskResult.objects.filter(task_path=TICK_PATH, status="READY").exists()


@task()
def periodic_tick():
    """Run the tick, then schedule the next one: the workers' periodic run.

    Several workers may each have started a chain; a chain that finds another tick already
    scheduled ends, so they collapse into one (and ticks are idempotent anyway)."""
    run_tick()
    if not _tick_pending():
        periodic_tick.using(run_after=timezone.now() + TICK_EVERY).enqueue()


def ensure_periodic_tick():
    if not _tick_pending():
        periodic_tick.enqueue()
