"""Steps other apps add to ``standing demo``: callables (command, users, vendors), idempotent.

Registered in AppConfig.ready(): ``DEMO_STEPS.register(step, key="app.step", order=…)``; steps
run in the registry's order (order, then INSTALLED_APPS)."""

from standing.core.registry import Registry

DEMO_STEPS = Registry("demo steps")
