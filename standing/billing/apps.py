from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "standing.billing"
    verbose_name = "Billing"

    def ready(self):
        from standing.accounts.models import Role
        from standing.core.sections import SETTINGS_SECTIONS
        from standing.customers.panels import PANELS, Panel

        from .views import documents_panel

        PANELS.register(
            Panel(
                "documents-billing",
                "billing/panel.html",
                documents_panel,
                column="main",
                order=40,
                roles=frozenset({Role.ADMIN, Role.SUPPORT}),
            )
        )
        SETTINGS_SECTIONS.register("billing/settings_section.html", key="billing")
