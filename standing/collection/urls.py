from django.urls import path

from . import views

app_name = "collection"
urlpatterns = [
    path("", views.board_page, name="board"),
    path("export.csv", views.export, name="export"),
    path("bulk/", views.bulk, name="bulk"),
    path("imports/", views.imports, name="imports"),
    path("imports/<int:import_id>/", views.import_detail, name="import"),
    path("imports/<int:import_id>/file", views.import_file, name="import_file"),
]
