from django.contrib import admin

from standing.core.admin import ReadOnlyAdmin

from .models import DamageCase, Product, Voucher


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["sku", "name", "vendor", "kind", "list_price"]
    list_filter = ["vendor", "kind"]


@admin.register(DamageCase)
class DamageCaseAdmin(ReadOnlyAdmin):
    list_display = ["date", "object_name", "customer", "amount", "status"]


@admin.register(Voucher)
class VoucherAdmin(ReadOnlyAdmin):
    list_display = ["code", "customer", "value", "percent", "valid_until", "redeemed_at"]
