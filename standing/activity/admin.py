from django.contrib import admin

from standing.base.admin import ReadOnlyAdmin

from .models import ActivityRecord


@admin.register(ActivityRecord)
class ActivityRecordAdmin(ReadOnlyAdmin):
    """The audit trail: readable, append-only (the database refuses changes as well)."""

    list_display = ["created_at", "customer", "actor_label", "action", "summary", "internal"]
    list_filter = ["internal", "action"]
    search_fields = ["customer__number", "actor_label", "action"]
    list_select_related = ["customer"]
