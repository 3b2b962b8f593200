from django.contrib.auth import views as auth
from django.urls import path

from . import views
from .login import ThrottledLoginForm

urlpatterns = [
    path(
        "login/",
        auth.LoginView.as_view(
            template_name="accounts/login.html", authentication_form=ThrottledLoginForm
        ),
        name="login",
    ),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        auth.PasswordChangeView.as_view(
            template_name="accounts/password_change.html", success_url="/password/done/"
        ),
        name="password_change",
    ),
    path(
        "password/done/",
        auth.PasswordChangeDoneView.as_view(template_name="accounts/password_done.html"),
        name="password_change_done",
    ),
    path("language/", views.set_language, name="set_language"),
    # The customer's invitation / new-password link (expiring, single use).
    path(
        "access/<uidb64>/<token>/",
        auth.PasswordResetConfirmView.as_view(
            template_name="accounts/set_password.html", success_url="/access/done/"
        ),
        name="customer_access",
    ),
    path(
        "access/done/",
        auth.PasswordResetCompleteView.as_view(template_name="accounts/set_password_done.html"),
        name="customer_access_done",
    ),
]
