import os
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Standing with granian (WSGI) on 127.0.0.1:$PORT (default 8000)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2"))
        )

    def handle(self, host, port, workers, **options):
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"Standing at http://{host}:{port}/ (granian, {workers} workers)")
        self.stdout.flush()
        # The pages' queries run many at once on few cores: on PostgreSQL a parallel plan
        # forks two more processes per query (more CPU in all, taken from the other requests),
        # and JIT compiles for longer than an index lookup runs. Batch work keeps both.
        os.environ.setdefault("PGOPTIONS", "-c max_parallel_workers_per_gather=0 -c jit=off")
        args = [
            sys.executable,
            "-m",
            "granian",
            "--interface",
            "wsgi",
            "--host",
            host,
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--blocking-threads",
            os.environ.get("GRANIAN_BLOCKING_THREADS", "4"),
            "--no-ws",
            "standing.wsgi:application",
        ]
        os.execv(sys.executable, args)
