from django.contrib import admin

from .models import BaseRateEntry


@admin.register(BaseRateEntry)
class BaseRateEntryAdmin(admin.ModelAdmin):
    """Read-only: rates are entered with ``standing law base-rate add``, which logs them."""

    list_display = ["valid_from", "percent", "source", "added_by_label", "added_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
