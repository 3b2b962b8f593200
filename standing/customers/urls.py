from django.urls import path

from . import views

app_name = "customers"
urlpatterns = [
    path("", views.customer_list_view, name="list"),
    path("<str:number>/", views.card, name="card"),
    path("<str:number>/panels/<slug:key>/", views.panel, name="panel"),
    path("<str:number>/edit/", views.edit, name="edit"),
    path("<str:number>/notes/", views.add_note, name="add_note"),
    path("<str:number>/files/", views.upload, name="upload"),
    path("<str:number>/files/<int:file_id>/", views.download, name="download"),
    path("<str:number>/files/<int:file_id>/delete/", views.delete_file, name="delete_file"),
    path("<str:number>/message/", views.send_message, name="message"),
    path(
        "<str:number>/messages/<int:message_id>/resend/",
        views.resend_message,
        name="resend_message",
    ),
    path("<str:number>/permissions/", views.set_permissions, name="permissions"),
    path("<str:number>/login/<str:action>/", views.login_action, name="login_action"),
]
