from django.urls import path

from . import views

app_name = "law"
urlpatterns = [
    path("", views.calculator, name="calculator"),
    path("base-rates/", views.add_rate, name="add_rate"),
]
