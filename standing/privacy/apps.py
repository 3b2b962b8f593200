from django.apps import AppConfig
from django.core import checks


class PrivacyConfig(AppConfig):
    name = "standing.privacy"
    verbose_name = "Privacy"

    def ready(self):
        from standing.accounts.models import Role
        from standing.core import tick
        from standing.customers.panels import PANELS, Panel
        from standing.customers.records import check_policies

        from . import erasure, panels
        from .policies import register_all

        register_all()
        tick.register(erasure.delete_due)
        checks.register(check_policies, "standing")
        staff = frozenset({Role.ADMIN, Role.SUPPORT})
        PANELS.register(
            Panel(
                "card-actions",
                "privacy/actions_panel.html",
                panels.actions,
                "side",
                1,
                staff,
                lazy=False,
            )
        )
        PANELS.register(
            Panel(
                "my-data-export",
                "privacy/portal_export.html",
                panels.portal,
                "portal",
                30,
                frozenset({Role.CUSTOMER}),
            )
        )
