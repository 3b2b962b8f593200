from django.contrib import admin

from .models import DenyEntry


@admin.register(DenyEntry)
class DenyEntryAdmin(admin.ModelAdmin):
    list_display = ["id", "last_name", "first_name", "birth_date", "email", "added_by_label"]
    search_fields = ["email_key", "phone_key", "iban_key", "document_key"]
    # Changes go through the deny-list service (logged, re-screening), not the admin.
    has_add_permission = has_change_permission = has_delete_permission = (
        lambda self, request, obj=None: False
    )
