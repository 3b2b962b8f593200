from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import ApiToken, User


@admin.register(User)
class StandingUserAdmin(UserAdmin):
    fieldsets = [*UserAdmin.fieldsets, ("Standing", {"fields": ("role", "vendor", "language")})]
    list_display = ["username", "role", "vendor", "is_active"]
    list_filter = ["role", "vendor"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "user", "scope", "name", "created_at", "revoked_at"]
    readonly_fields = ["prefix", "token_hash", "last_used_at"]
