from django.urls import path

from . import views

app_name = "vendors"
urlpatterns = [
    path("<int:vendor_id>/", views.edit_vendor, name="edit"),
]
