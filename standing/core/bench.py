"""Benchmarks other apps add to ``standing bench``: ``{name: fn(command, options) -> dict}``.

Registered in ``AppConfig.ready()``; ``standing bench --only NAME`` runs one, and its figures
go to the results file under ``NAME/<database vendor>``. Nothing here asserts a time."""

BENCHES: dict = {}


def register(name, fn):
    BENCHES[name] = fn
    return fn
