from django.urls import path

from . import views

app_name = "deposits"
urlpatterns = [
    path("customers/<str:number>/deposit-offer/", views.deposit_offer, name="offer"),
    path("customers/<str:number>/outcome/<str:action>/", views.outcome, name="outcome"),
    path("tasks/", views.task_list, name="tasks"),
    path("tasks/<int:task_id>/done/", views.task_done, name="task_done"),
]
