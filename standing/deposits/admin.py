from django.contrib import admin

from .models import DepositOffer, StaffTask, VerifiedActionRun


@admin.register(DepositOffer)
class DepositOfferAdmin(admin.ModelAdmin):
    list_display = ["customer", "amount", "billing_step", "status", "created_at"]
    list_filter = ["status", "billing_step"]


admin.site.register(StaffTask)
admin.site.register(VerifiedActionRun)
