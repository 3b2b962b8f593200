from django.contrib import admin

from standing.core.admin import ReadOnlyAdmin

from .models import DepositOffer, StaffTask, VerifiedActionRun


@admin.register(DepositOffer)
class DepositOfferAdmin(ReadOnlyAdmin):
    list_display = ["customer", "amount", "billing_step", "status", "created_at"]
    list_filter = ["status", "billing_step"]


admin.site.register(StaffTask)
admin.site.register(VerifiedActionRun, ReadOnlyAdmin)
