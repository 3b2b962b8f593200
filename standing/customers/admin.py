from django.contrib import admin

from standing.core.admin import ReadOnlyAdmin

from .models import Customer, CustomerGroup


@admin.register(Customer)
class CustomerAdmin(ReadOnlyAdmin):
    """Master data, status and deletion go through the card (activity log, lifecycle)."""

    list_display = ["number", "last_name", "first_name", "email", "status"]
    search_fields = ["number", "email", "search_name"]


admin.site.register(CustomerGroup)
