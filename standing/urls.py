from django.contrib import admin
from django.urls import include, path

from standing.api import api

urlpatterns = [
    path("", include("standing.accounts.urls")),
    path("customers/", include("standing.customers.urls")),
    path("settings/", include("standing.core.urls")),
    path("billing/", include("standing.billing.urls")),
    path("", include("standing.payments.urls")),
    path("", include("standing.deposits.urls")),
    path("", include("standing.orders.urls")),
    path("blocks/", include("standing.blocks.urls")),
    path("", include("standing.screening.urls")),
    path("duplicates/", include("standing.duplicates.urls")),
    path("", include("standing.privacy.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
