from django.urls import path

from . import views

app_name = "payments"
urlpatterns = [
    path("pay/<str:token>/", views.pay, name="pay"),
    path("webhooks/paypal", views.paypal_webhook, name="paypal_webhook"),
]
