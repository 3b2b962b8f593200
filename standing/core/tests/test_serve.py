import os

from django.core.management import call_command


def test_serve_runs_granian_and_keeps_pages_off_parallel_plans_and_jit(monkeypatch, tmp_path):
    """The web server's PostgreSQL sessions neither fork parallel workers nor JIT-compile
    (``PGOPTIONS``, which libpq reads), unless the operator set ``PGOPTIONS`` already."""
    calls = []
    monkeypatch.setattr(os, "execv", lambda path, args: calls.append((path, args)))
    monkeypatch.delenv("PGOPTIONS", raising=False)
    monkeypatch.setattr(
        "standing.core.management.commands.serve.call_command", lambda *a, **k: None
    )
    call_command("serve", port=8123, workers=3)
    ((path, args),) = calls
    assert args[1:3] == ["-m", "granian"] and "standing.wsgi:application" in args
    assert args[args.index("--port") + 1] == "8123" and args[args.index("--workers") + 1] == "3"
    assert os.environ["PGOPTIONS"] == "-c max_parallel_workers_per_gather=0 -c jit=off"

    monkeypatch.setenv("PGOPTIONS", "-c work_mem=64MB")
    call_command("serve", port=8123)
    assert os.environ["PGOPTIONS"] == "-c work_mem=64MB"


def test_the_wsgi_application_loads_its_urls_and_freezes_what_it_loaded():
    import gc

    from standing import wsgi

    gc.unfreeze()
    wsgi._settle()
    try:
        # Everything loaded at start (the URLconf's views included) is out of the collector's
        # reach, and the collector still runs for what requests allocate.
        assert gc.get_freeze_count() > 10_000 and gc.isenabled()
    finally:
        gc.unfreeze()
