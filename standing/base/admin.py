"""What ``/admin/`` may do with records the domain owns: look, never change or delete.

Customers, payment events, documents, activity records, blocks, tokens' scopes: the domain's
services change them (with the activity log, the lifecycle and the numbering rules); the
admin is a window onto them, not a way around them.
"""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Listed and viewable; no add, change or delete."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class NoDeleteAdmin(admin.ModelAdmin):
    """Editable where the model allows, never deleted (an order, an offer, a link)."""

    def has_delete_permission(self, request, obj=None):
        return False
