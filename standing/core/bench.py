"""Benchmarks other apps add to ``standing bench``: ``fn(command, options) -> dict`` by name.

Registered in ``AppConfig.ready()`` (``BENCHES.register(fn, key=NAME)``); ``standing bench
--only NAME`` runs one, and its figures go to the results file under ``NAME/<database
vendor>``. Nothing here asserts a time."""

from standing.core.registry import Registry

BENCHES = Registry("benchmarks")
