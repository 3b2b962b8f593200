from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("privacy/<str:number>/export/", views.export_download, name="export"),
    path("privacy/<str:number>/erase/", views.erase_view, name="erase"),
    path("privacy/<str:number>/restriction/", views.restriction, name="restriction"),
    path("me/export/", views.request_export, name="request_export"),
    path("me/export/<str:token>/", views.my_export, name="my_export"),
    path("me/documents/<int:document_id>/", views.my_document, name="my_document"),
]
