from django.contrib import admin

from standing.core.admin import ReadOnlyAdmin

from .models import DenyEntry


@admin.register(DenyEntry)
class DenyEntryAdmin(ReadOnlyAdmin):
    """Changes go through the deny-list service (logged, re-screening), not the admin."""

    list_display = ["id", "last_name", "first_name", "birth_date", "email", "added_by_label"]
    search_fields = ["email_key", "phone_key", "iban_key", "document_key"]
