from datetime import timedelta

from django.tasks import task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from .tick import run_tick

TICK_EVERY = timedelta(minutes=1)
TICK_PATH = "standing.core.tasks.periodic_tick"


@task()
def periodic_tick():
    """Run the tick, then schedule the next one: the worker's periodic run."""
    run_tick()
    periodic_tick.using(run_after=timezone.now() + TICK_EVERY).enqueue()


def ensure_periodic_tick():
    pending = DBTaskResult.objects.filter(task_path=TICK_PATH, status="READY").exists()
    if not pending:
        periodic_tick.enqueue()
