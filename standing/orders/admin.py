from django.contrib import admin

from standing.core.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import Installment, Order, PaymentEvent


class InstallmentInline(ReadOnlyInline):
    model = Installment
    # Amounts change only through payment events, so the invariants hold.
    readonly_fields = ["sequence", "due_date", "amount", "paid_amount", "state"]


@admin.register(Order)
class OrderAdmin(ReadOnlyAdmin):
    list_display = ["number", "vendor", "customer", "amount", "paid_amount", "status"]
    list_filter = ["status", "vendor", "payment_method"]
    search_fields = ["number", "customer__number"]
    readonly_fields = ["amount", "original_amount", "paid_amount", "cancellation_costs", "status"]
    inlines = [InstallmentInline]


@admin.register(PaymentEvent)
class PaymentEventAdmin(ReadOnlyAdmin):
    """A deleted event would leave its effect behind and free its id for a second delivery."""

    list_display = ["event_id", "vendor", "order", "type", "date", "amount", "received_at"]
    search_fields = ["event_id", "order__number"]
