from django.urls import path

from . import views

app_name = "billing"
urlpatterns = [
    path("documents/<int:document_id>/pdf/", views.download, name="download"),
    path("cost-groups/", views.add_cost_group, name="add_cost_group"),
    path("cost-types/", views.save_cost_type, name="add_cost_type"),
    path("cost-types/<int:cost_type_id>/", views.save_cost_type, name="save_cost_type"),
]
