"""The staff start page ("Übersicht"): what waits for a person.

Apps register "waiting" sections in their ``AppConfig.ready()`` (the review tab, denied
customers to decide, blocks ending soon, open tasks, and later claims to review); the page
shows every section the acting role may see, so a new capability never edits this page.
"""

from collections.abc import Callable
from dataclasses import dataclass

from standing.core.registry import Registry


@dataclass(frozen=True)
class Waiting:
    """One section of the start page. ``build(actor)`` answers a dict with ``title``,
    ``count``, ``url`` (the page where the work is done), optionally ``rows`` (up to a few
    (label, url, note) triples) and ``empty`` (what to say when nothing waits)."""

    key: str
    build: Callable
    order: int = 50
    # The staff roles' values (core sits below accounts and does not import its Role).
    roles: frozenset = frozenset({"admin", "support"})


SECTIONS = Registry("start page sections")


def register(section: Waiting):
    """In AppConfig.ready(): one section per key, placed by its ``order``."""
    return SECTIONS.register(
        section, key=section.key, order=section.order, module=section.build.__module__
    )


def sections_for(actor):
    shown = [s for s in SECTIONS if actor.role in s.roles]
    return [{"key": s.key, **s.build(actor)} for s in shown]
