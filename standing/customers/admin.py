from django.contrib import admin

from .models import Customer, CustomerGroup


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ["number", "last_name", "first_name", "email", "status"]
    search_fields = ["number", "email", "search_name"]
    # Status changes go through the lifecycle, never through the admin.
    readonly_fields = ["status"]


admin.site.register(CustomerGroup)
