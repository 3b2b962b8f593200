from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import ApiToken, LoginThrottle, User


@admin.register(User)
class StandingUserAdmin(UserAdmin):
    fieldsets = [*UserAdmin.fieldsets, ("Standing", {"fields": ("role", "vendor", "language")})]
    list_display = ["username", "role", "vendor", "is_active"]
    list_filter = ["role", "vendor"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are made with ``standing token create``; here they can be named and revoked,
    never given another scope or user, and never deleted (revoked tokens stay on record)."""

    list_display = ["prefix", "user", "scope", "name", "created_at", "revoked_at"]
    readonly_fields = ["user", "scope", "prefix", "token_hash", "created_at", "last_used_at"]
    fields = ["user", "scope", "name", "prefix", "created_at", "last_used_at", "revoked_at"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LoginThrottle)
class LoginThrottleAdmin(admin.ModelAdmin):
    """Failed-login counters; deleting one unlocks that account name or address at once."""

    list_display = ["key", "failures", "last_failure_at", "blocked_until"]
    search_fields = ["key"]
    readonly_fields = ["key", "failures", "last_failure_at", "blocked_until"]

    def has_add_permission(self, request):
        return False
