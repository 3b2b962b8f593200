from django.urls import path

from . import views

# The settings page keeps its names ("core:settings", …) from the time it lived in core.
settings_urls = (
    [
        path("", views.settings_page, name="settings"),
        path("groups/", views.save_group, name="add_group"),
        path("groups/<int:group_id>/", views.save_group, name="save_group"),
        path("vendors/", views.add_vendor, name="add_vendor"),
    ],
    "core",
)

urlpatterns = [
    path("", views.home, name="home"),
    path("me/", views.me, name="me"),
]
