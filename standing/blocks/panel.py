"""The card's blocks panel: the blocks in force (or scheduled) and the past ones."""

from django.utils import timezone

from .models import Block, BlockState


def panel_context(request, customer, actor):
    now = timezone.now()
    blocks = list(
        Block.objects.filter(customer=customer).select_related("reason", "staff", "lifted_by")
    )
    for block in blocks:
        block.state = block.state_at(now)
    in_force = (BlockState.ACTIVE, BlockState.SCHEDULED)
    return {
        "current": [b for b in blocks if b.state in in_force],
        "past": [b for b in blocks if b.state not in in_force],
    }
