from io import StringIO

from django.core.management import call_command

from standing.orders import services
from standing.orders.models import InstallmentState, Order, OrderStatus, PaymentEvent
from standing.rentals.models import DamageCase, Voucher


def test_demo_orders_are_idempotent_and_give_dunning_work(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("demo", stdout=StringIO())
    counts = (Order.objects.count(), PaymentEvent.objects.count(), DamageCase.objects.count())
    # 40 demo orders, and the claims demo's re-order of the same product (a reopened claim).
    assert counts[0] == 41 and counts[1] > 40 and counts[2] == 1
    assert Order.objects.filter(number__startswith="RE-").count() == 1
    assert Voucher.objects.count() == 2
    for prefix in ("AN", "FW"):
        assert Order.objects.filter(number__startswith=prefix).count() == 20
    states = set(Order.objects.values_list("installments__state", flat=True))
    assert {
        InstallmentState.PAID,
        InstallmentState.FAILED,
        InstallmentState.CHARGED_BACK,
        InstallmentState.STOPPED,
        InstallmentState.CANCELLED,
    } <= states
    assert Order.objects.filter(status=OrderStatus.PAID).exists()
    from django.utils import timezone

    overdue = services.overdue_orders(timezone.localdate())
    assert {o.vendor.name for o in overdue.select_related("vendor")} == {
        "Autovermietung Nord GmbH",
        "FitnessWelt Süd GmbH",
    }
    assert Order.objects.filter(cancellation_costs__gt=0).exists()
    call_command("demo", stdout=StringIO())
    assert (
        Order.objects.count(),
        PaymentEvent.objects.count(),
        DamageCase.objects.count(),
    ) == counts
