from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "standing.claims"
    verbose_name = "Claims"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from standing.accounts.models import Role
        from standing.core import overview, tick
        from standing.core.bench import BENCHES
        from standing.core.context_processors import NAVIGATION
        from standing.core.demo import DEMO_STEPS
        from standing.core.sections import SETTINGS_SECTIONS
        from standing.customers.panels import PANELS, Panel
        from standing.orders.events import AFTER_EVENT
        from standing.payments.services import ON_PAID

        from .bench import bench_claims
        from .demo import demo_claims, demo_collection_settings
        from .letters import sweep_unsent
        from .panels import claims_context, portal_letters_context
        from .run import daily_run, refresh_board_amounts
        from .services import on_link_paid, on_payment_event
        from .views import waiting_claims

        AFTER_EVENT.register(on_payment_event, key="claims")
        ON_PAID.register(on_link_paid, key="claims")
        # Vendor users see the panel with their own vendor's claims only (claims_context scopes).
        PANELS.register(
            Panel(
                "claims",
                "claims/panel.html",
                claims_context,
                order=23,
                roles=frozenset({Role.ADMIN, Role.SUPPORT, Role.VENDOR}),
            )
        )
        # The customer's own page (/me/): their dunning letters with the PDFs.
        PANELS.register(
            Panel(
                "my_dunning_letters",
                "claims/portal_letters.html",
                portal_letters_context,
                column="portal",
                order=25,
                roles=frozenset({Role.CUSTOMER}),
            )
        )
        # In the menu "Collection", after the board (standing.collection, order 50).
        back_office = {Role.ADMIN, Role.SUPPORT, Role.VENDOR}
        for order, (label, name, roles) in enumerate(
            (
                (_("Claims"), "claims:list", back_office),
                (_("Collection overview"), "claims:statistics", back_office),
                # Operator admins reach every vendor's settings from Settings (the vendors list).
                (_("Collection (beta)"), "claims:settings_index", {Role.VENDOR}),
            ),
            start=51,
        ):
            NAVIGATION.register((label, name, roles, _("Collection")), key=name, order=order)
        BENCHES.register(bench_claims, key="claims")
        SETTINGS_SECTIONS.register("claims/settings_section.html", key="claims")
        # The settings come before every other step (the demo orders' events open the claims).
        DEMO_STEPS.register(demo_collection_settings, key="claims.settings", order=10)
        DEMO_STEPS.register(demo_claims, key="claims")
        overview.register(overview.Waiting("claims-waiting", waiting_claims, order=35))
        tick.register(daily_run)
        tick.register(refresh_board_amounts)
        tick.register(sweep_unsent)
