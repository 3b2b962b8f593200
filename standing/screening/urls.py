from django.urls import path

from . import views

app_name = "screening"
urlpatterns = [
    path("register/", views.register, name="register"),
    path("register/done/", views.register_done, name="register_done"),
    path("new-customer/", views.new_customer, name="new_customer"),
    path("denied/", views.denied, name="denied"),
    path("denylist/", views.denylist, name="denylist"),
    path("denylist/new/", views.entry_edit, name="entry_add"),
    path("denylist/export.csv", views.denylist_export, name="denylist_export"),
    path("denylist/import/", views.denylist_import, name="denylist_import"),
    path("denylist/<int:entry_id>/", views.entry_edit, name="entry_edit"),
    path("denylist/<int:entry_id>/delete/", views.entry_delete, name="entry_delete"),
    path("screening/<str:number>/rerun/", views.rerun, name="rerun"),
    path("screening/findings/<int:finding_id>/clear/", views.clear, name="clear"),
    path("screening/findings/<int:finding_id>/confirm/", views.confirm, name="confirm"),
]
