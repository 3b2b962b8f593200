from django.contrib import admin
from django.urls import include, path

from standing.api import api

urlpatterns = [
    path("", include("standing.accounts.urls")),
    path("customers/", include("standing.customers.urls")),
    path("settings/", include("standing.core.urls")),
    path("", include("standing.screening.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
