from django.urls import path

from . import views

app_name = "blocks"
urlpatterns = [
    path("", views.block_list, name="list"),
    path("customer/<str:number>/", views.block_customer, name="block"),
    path("customer/<str:number>/<int:block_id>/lift/", views.lift_block, name="lift"),
    path("reasons/", views.add_reason, name="add_reason"),
    path("reasons/<int:reason_id>/", views.save_reason, name="save_reason"),
]
