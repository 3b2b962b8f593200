"""Integrity check of the activity log (``standing check-data``): still append-only."""

from .audit import installed


def guard_installed():
    if not installed():
        yield "the append-only triggers of the activity log are missing (run 'standing migrate')"


CHECKS = [guard_installed]
