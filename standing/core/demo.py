"""Steps other apps add to ``standing demo``: callables (command, users, vendors), idempotent."""

DEMO_STEPS = []
