from django.apps import AppConfig


class BenchConfig(AppConfig):
    """``standing bench``: generate a realistic amount of data and measure what staff wait for."""

    name = "standing.bench"
    label = "bench"
    verbose_name = "Benchmarks"

    def ready(self):
        from standing.core.bench import BENCHES

        from .pages import bench_pages

        BENCHES.register(bench_pages, key="pages")
