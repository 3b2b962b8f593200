from django.contrib import admin
from django.urls import include, path

from standing.api import api
from standing.core.views import health
from standing.site.urls import settings_urls

urlpatterns = [
    # First: the API's clients call it at a high rate, and resolving walks the list in order.
    path("api/v1/", api.urls),
    path("", include("standing.site.urls")),
    path("", include("standing.accounts.urls")),
    path("customers/", include("standing.customers.urls")),
    path("settings/", include(settings_urls)),
    path("billing/", include("standing.billing.urls")),
    path("", include("standing.payments.urls")),
    path("", include("standing.deposits.urls")),
    path("", include("standing.orders.urls")),
    path("blocks/", include("standing.blocks.urls")),
    path("interest/", include("standing.law.urls")),
    path("claims/", include("standing.claims.urls")),
    path("collection/", include("standing.collection.urls")),
    path("vendors/", include("standing.vendors.urls")),
    path("me/letters/", include("standing.claims.portal_urls")),
    path("", include("standing.screening.urls")),
    path("duplicates/", include("standing.duplicates.urls")),
    path("", include("standing.privacy.urls")),
    path("admin/", admin.site.urls),
    path("health/", health, name="health"),
]

handler400 = "standing.core.error_views.bad_request"
handler403 = "standing.core.error_views.permission_denied"
handler404 = "standing.core.error_views.page_not_found"
handler500 = "standing.core.error_views.server_error"
