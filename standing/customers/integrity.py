"""Integrity checks of customers (``standing check-data``)."""

from django.conf import settings

from standing.core.integrity import files_match, invalid_choices
from standing.core.models import Sequence

from .models import Customer, CustomerFile, CustomerStatus


def states_valid():
    yield from invalid_choices(Customer.objects.all(), "status", CustomerStatus.choices)


def numbers_below_the_counter():
    """No customer number beyond the counter (the next registration would collide)."""
    last = Sequence.objects.filter(key="customer").values_list("last", flat=True).first() or 0
    prefix = settings.CUSTOMER_NUMBER_PREFIX
    numbers = Customer.objects.filter(number__startswith=prefix).values_list("number", flat=True)
    highest = max((int(n[len(prefix) :]) for n in numbers if n[len(prefix) :].isdigit()), default=0)
    if highest > last:
        yield f"customer number {prefix}{highest:06d} lies beyond the counter ({last})"


def files():
    yield from files_match(CustomerFile.objects.all(), "file", "customers")


CHECKS = [states_valid, numbers_below_the_counter, files]
