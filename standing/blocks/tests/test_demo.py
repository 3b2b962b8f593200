from django.core.management import call_command
from django.utils import timezone

from standing.blocks.models import Block, BlockState


def test_demo_blocks_are_of_every_kind_and_idempotent(db, capsys):
    call_command("demo")
    assert "Demo blocks: 7 new." in capsys.readouterr().out
    now = timezone.now()
    blocks = list(Block.objects.select_related("reason"))
    states = {b.state_at(now) for b in blocks}
    assert states == {BlockState.ACTIVE, BlockState.LIFTED, BlockState.EXPIRED}
    assert any(b.ends_at is None and b.note for b in blocks)
    assert {b.reason.code for b in blocks} >= {"payment_deferral", "misconduct", "missing_data"}
    call_command("demo")
    assert "Demo blocks" not in capsys.readouterr().out
    assert Block.objects.count() == len(blocks)
