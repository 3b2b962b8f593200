from django.urls import reverse
from django.utils import translation

from standing.core import links
from standing.orders.models import OrderStatus


def test_a_url_reversed_once_equals_reverse_for_every_value():
    card = links.url_of_each("customers:card")
    for number in ("K-000001", "Kd 7 ä", "a%b", "2147483647", "x?y#z"):
        assert card(number) == reverse("customers:card", args=[number])
    action = links.url_of_each("claims:action", "approve")
    assert action(42) == reverse("claims:action", args=[42, "approve"])


def test_labels_follow_the_active_language():
    with translation.override("de"):
        german = links.labels(OrderStatus)
    with translation.override("en"):
        english = links.labels(OrderStatus)
    assert set(german) == set(OrderStatus.values)
    assert german[OrderStatus.PAID] != english[OrderStatus.PAID] == "Paid"
    with translation.override("de"):
        assert german[OrderStatus.PAID] == str(OrderStatus.PAID.label)
