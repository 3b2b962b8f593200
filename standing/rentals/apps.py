from django.apps import AppConfig


class RentalsConfig(AppConfig):
    name = "standing.rentals"
    verbose_name = "Rentals"

    def ready(self):
        from standing.accounts.scoping import BACK_OFFICE
        from standing.core.demo import DEMO_STEPS
        from standing.core.sections import SETTINGS_SECTIONS
        from standing.customers.panels import PANELS, Panel

        from .demo import demo_rentals
        from .panels import damages_context, rentals_context, vouchers_context

        # Vendor users see these panels too: their content is scoped to the vendor's own business.
        PANELS.register(
            Panel(
                "rentals",
                "rentals/panel_rentals.html",
                rentals_context,
                order=15,
                roles=BACK_OFFICE,
            )
        )
        PANELS.register(
            Panel(
                "damages",
                "rentals/panel_damages.html",
                damages_context,
                order=30,
                roles=BACK_OFFICE,
            )
        )
        PANELS.register(
            Panel(
                "vouchers",
                "rentals/panel_vouchers.html",
                vouchers_context,
                column="side",
                order=30,
                roles=BACK_OFFICE,
            )
        )
        SETTINGS_SECTIONS.register("rentals/settings_section.html", key="rentals")
        # After the orders' step (orders come first in INSTALLED_APPS): it needs their orders.
        DEMO_STEPS.register(demo_rentals, key="rentals")
