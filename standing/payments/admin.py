from django.contrib import admin

from standing.core.admin import ReadOnlyAdmin

from .models import PaymentLink, WebhookEvent


@admin.register(PaymentLink)
class PaymentLinkAdmin(ReadOnlyAdmin):
    list_display = ["token", "customer", "amount", "status", "provider", "created_at"]
    list_filter = ["status", "provider"]
    search_fields = ["token", "provider_reference", "customer__number"]


@admin.register(WebhookEvent)
class WebhookEventAdmin(ReadOnlyAdmin):
    """A deleted webhook record would let the same event be applied a second time."""

    list_display = ["provider", "event_id", "event_type", "received_at"]
