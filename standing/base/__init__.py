"""The bottom of the shared ground: modules that import no Standing code at all, so that every
app — the activity log included, which sits below core — may use them.

* ``money``: one quantum, one rounding rule, one parser, one formatter.
* ``admin``: the read-only / no-delete admin base classes.

Use them by their public names ``standing.core.money`` and ``standing.core.admin`` (which
re-export these); only the activity app, below core, imports ``standing.base`` directly.
"""
