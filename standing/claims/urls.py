from django.urls import path

from . import views

app_name = "claims"
urlpatterns = [
    path("", views.claim_list, name="list"),
    path("<int:claim_id>/", views.detail, name="detail"),
    path("<int:claim_id>/actions/<str:name>/", views.action, name="action"),
    path("<int:claim_id>/letters/<int:level>.pdf", views.letter_pdf, name="letter_pdf"),
    path("runs/", views.run_list, name="runs"),
    path("runs/<int:run_id>/", views.run_detail, name="run"),
    path("runs/<int:run_id>/print.pdf", views.run_print_file, name="run_print"),
    path("letters/<int:level>/<str:language>/", views.letter_template, name="letter_template"),
    path("settings/", views.settings_index, name="settings_index"),
    path("settings/<int:vendor_id>/", views.collection_settings, name="settings"),
    path("statistics/", views.statistics, name="statistics"),
]
