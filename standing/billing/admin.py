from django.contrib import admin

from .models import CostGroup, CostType, Document, DocumentLine


class DocumentLineInline(admin.TabularInline):
    model = DocumentLine
    extra = 0


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["number", "kind", "customer", "gross_total", "issued_at", "paid_at"]
    list_filter = ["kind", "year"]
    search_fields = ["number", "customer__number"]
    inlines = [DocumentLineInline]


admin.site.register(CostGroup)
admin.site.register(CostType)
