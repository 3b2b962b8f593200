"""Integrity checks of blocks (``standing check-data``)."""

from django.db.models import F

from standing.core.integrity import invalid_choices

from .models import Block, BlockStatus


def states_valid():
    yield from invalid_choices(Block.objects.all(), "status", BlockStatus.choices)
    backwards = Block.objects.filter(ends_at__lte=F("starts_at"))
    for pk in backwards.values_list("pk", flat=True)[:50]:
        yield f"block {pk} ends before it starts"


CHECKS = [states_valid]
