from django.contrib import admin

from .models import PaymentLink, WebhookEvent


@admin.register(PaymentLink)
class PaymentLinkAdmin(admin.ModelAdmin):
    list_display = ["token", "customer", "amount", "status", "provider", "created_at"]
    list_filter = ["status", "provider"]
    search_fields = ["token", "provider_reference", "customer__number"]


@admin.register(WebhookEvent)
class WebhookEventAdmin(admin.ModelAdmin):
    list_display = ["provider", "event_id", "event_type", "received_at"]
