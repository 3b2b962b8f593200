"""The customer's own dunning letters under /me/ (mounted in standing/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("<int:letter_id>.pdf", views.my_letter, name="my_letter"),
]
