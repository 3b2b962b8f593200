from django.contrib import admin

from standing.core.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import CostGroup, CostType, Document, DocumentLine


class DocumentLineInline(ReadOnlyInline):
    model = DocumentLine


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    """Invoices and receipts are numbered without gaps by law: never edited or deleted."""

    list_display = ["number", "kind", "customer", "gross_total", "issued_at", "paid_at"]
    list_filter = ["kind", "year"]
    search_fields = ["number", "customer__number"]
    inlines = [DocumentLineInline]


admin.site.register(CostGroup)
admin.site.register(CostType)
