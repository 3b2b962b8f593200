from django.contrib import admin

from standing.core.admin import ReadOnlyAdmin

from .models import Block, BlockReason


@admin.register(BlockReason)
class BlockReasonAdmin(admin.ModelAdmin):
    list_display = ["code", "label", "active"]

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj else []


@admin.register(Block)
class BlockAdmin(ReadOnlyAdmin):
    """Read-only: blocks change only through the services, which write the activity log."""

    list_display = ["customer", "reason", "staff", "starts_at", "ends_at", "status"]
    list_filter = ["status", "reason"]
    search_fields = ["customer__number", "customer__search_name"]
