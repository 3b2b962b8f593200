from django.urls import include, path

from . import views

app_name = "orders"
urlpatterns = [
    path("orders/", views.order_list_view, name="list"),
    path("orders/<str:number>/", views.detail, name="detail"),
    path("orders/<str:number>/events/", views.add_event, name="add_event"),
    path("rentals/", include("standing.rentals.urls")),
]
