from django.contrib.auth.backends import ModelBackend

from .models import Role


class StandingBackend(ModelBackend):
    """Customers may log in only while their standing allows it (not DELETED; when blocked,
    as the setting says)."""

    def user_can_authenticate(self, user):
        if not super().user_can_authenticate(user):
            return False
        if user.role != Role.CUSTOMER:
            return True
        from standing.customers.standing import standing

        customer = getattr(user, "customer", None)
        return customer is not None and standing(customer)["can_login"]
