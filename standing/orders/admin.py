from django.contrib import admin

from .models import Installment, Order, PaymentEvent


class InstallmentInline(admin.TabularInline):
    model = Installment
    extra = 0
    # Amounts change only through payment events, so the invariants hold.
    readonly_fields = ["sequence", "due_date", "amount", "paid_amount", "state"]
    can_delete = False


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ["number", "vendor", "customer", "amount", "paid_amount", "status"]
    list_filter = ["status", "vendor", "payment_method"]
    search_fields = ["number", "customer__number"]
    readonly_fields = ["amount", "original_amount", "paid_amount", "cancellation_costs", "status"]
    inlines = [InstallmentInline]


@admin.register(PaymentEvent)
class PaymentEventAdmin(admin.ModelAdmin):
    list_display = ["event_id", "order", "type", "date", "amount", "received_at"]
    search_fields = ["event_id", "order__number"]

    def has_change_permission(self, request, obj=None):
        return False
