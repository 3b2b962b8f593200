from django.apps import AppConfig


class BenchConfig(AppConfig):
    """``standing bench``: generate a realistic amount of data and measure what staff wait for."""

    name = "standing.bench"
    label = "bench"
    verbose_name = "Benchmarks"
