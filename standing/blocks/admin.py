from django.contrib import admin

from .models import Block, BlockReason


@admin.register(BlockReason)
class BlockReasonAdmin(admin.ModelAdmin):
    list_display = ["code", "label", "active"]

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj else []


@admin.register(Block)
class BlockAdmin(admin.ModelAdmin):
    """Read-only: blocks change only through the services, which write the activity log."""

    list_display = ["customer", "reason", "staff", "starts_at", "ends_at", "status"]
    list_filter = ["status", "reason"]
    search_fields = ["customer__number", "customer__search_name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
