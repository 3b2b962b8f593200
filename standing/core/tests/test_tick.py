import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from standing.core import tick
from standing.core.tasks import TICK_PATH, ensure_periodic_tick, periodic_tick


@pytest.fixture
def db_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_periodic_tick_is_scheduled_once(db, db_tasks):
    ensure_periodic_tick()
    ensure_periodic_tick()
    assert DBTaskResult.objects.filter(task_path=TICK_PATH, status="READY").count() == 1
    ready = DBTaskResult.objects.filter(task_path=TICK_PATH, status="READY")
    periodic_tick.call()  # a second chain finds the scheduled tick and ends
    assert ready.count() == 1
    ready.delete()
    periodic_tick.call()  # the only chain schedules its successor, a minute later
    (successor,) = ready.all()
    assert successor.run_after > timezone.now()


def test_tick_command_runs_registered_jobs_at_the_given_moment(db, capsys, monkeypatch):
    seen = []
    with tick.TICK_JOBS.replaced(("job", lambda now: seen.append(now) or "did it")):
        call_command("tick", "--now", "2026-12-01T09:00:00+01:00")
        assert seen[0].isoformat() == "2026-12-01T09:00:00+01:00"
        assert "did it" in capsys.readouterr().out
        call_command("tick", "--now", "2026-12-01T09:00:00")  # naive: local time
        assert seen[1].utcoffset() is not None
        with pytest.raises(CommandError, match="not an ISO"):
            call_command("tick", "--now", "morgen")


def test_a_failing_job_is_reported_and_the_others_still_run(monkeypatch, caplog):
    seen = []

    def broken(now):
        raise RuntimeError("boom")

    def works(now):
        seen.append(now)
        return "worked"

    with tick.TICK_JOBS.replaced(("broken", broken), ("works", works)):
        lines = tick.run_tick()
    assert len(seen) == 1 and lines[-1] == "worked"
    assert "broken failed: RuntimeError: boom" in lines[0]
    assert "broken failed" in caplog.text and "RuntimeError: boom" in caplog.text


def test_a_job_is_registered_once():
    def job(now):
        return None

    with tick.TICK_JOBS.replaced():
        tick.register(job)
        with pytest.raises(ValueError, match="registered twice"):
            tick.register(job)
