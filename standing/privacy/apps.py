from django.apps import AppConfig
from django.core import checks


class PrivacyConfig(AppConfig):
    name = "standing.privacy"
    verbose_name = "Privacy"

    def ready(self):
        from standing.accounts.models import Role
        from standing.customers.panels import Panel, register
        from standing.customers.records import check_policies

        # Importing erasure registers its tick job.
        from . import (
            erasure,  # noqa: F401
            panels,
        )
        from .policies import register_all

        register_all()
        checks.register(check_policies, "standing")
        staff = frozenset({Role.ADMIN, Role.SUPPORT})
        register(
            Panel("card-actions", "privacy/actions_panel.html", panels.actions, "side", 1, staff)
        )
        register(
            Panel(
                "my-data-export",
                "privacy/portal_export.html",
                panels.portal,
                "portal",
                30,
                frozenset({Role.CUSTOMER}),
            )
        )
