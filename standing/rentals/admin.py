from django.contrib import admin

from .models import DamageCase, Product, Voucher


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["sku", "name", "vendor", "kind", "list_price"]
    list_filter = ["vendor", "kind"]


@admin.register(DamageCase)
class DamageCaseAdmin(admin.ModelAdmin):
    list_display = ["date", "object_name", "customer", "amount", "status"]
    readonly_fields = ["status"]


@admin.register(Voucher)
class VoucherAdmin(admin.ModelAdmin):
    list_display = ["code", "customer", "value", "percent", "valid_until", "redeemed_at"]
