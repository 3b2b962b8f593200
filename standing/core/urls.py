from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.settings_page, name="settings"),
    path("groups/", views.save_group, name="add_group"),
    path("groups/<int:group_id>/", views.save_group, name="save_group"),
    path("vendors/", views.add_vendor, name="add_vendor"),
]
