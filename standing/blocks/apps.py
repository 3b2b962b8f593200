from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BlocksConfig(AppConfig):
    name = "standing.blocks"
    verbose_name = "Blocks"

    def ready(self):
        from standing.activity import display

        from .models import BlockStatus

        display.label_fields(
            {
                "block": _("block"),
                "reason": _("reason"),
                "staff": _("staff member"),
                "since": _("since"),
                "until": _("until"),
                "note": _("note"),
                "duration": _("duration"),
                "lifted_reason": _("reason for lifting"),
            }
        )
        display.label_values("status", BlockStatus, prefix="block")
        from standing.accounts.models import Role
        from standing.core import overview, tick
        from standing.core.context_processors import NAVIGATION
        from standing.core.demo import DEMO_STEPS
        from standing.core.sections import SETTINGS_SECTIONS
        from standing.customers.panels import PANELS, Panel
        from standing.customers.standing import BLOCK_SOURCES

        from . import models, services
        from .demo import demo_blocks
        from .panel import panel_context
        from .views import ending_soon

        tick.register(services.expire_due_blocks)
        BLOCK_SOURCES.register(models.CustomerBlocks(), key="blocks")
        overview.register(overview.Waiting("blocks-ending", ending_soon, order=30))
        PANELS.register(
            Panel(
                "blocks",
                "blocks/panel.html",
                panel_context,
                column="main",
                order=10,
                roles=frozenset({Role.ADMIN, Role.SUPPORT}),
                lazy=False,
            )
        )
        # Right after the customer list.
        NAVIGATION.register(
            (_("Blocks"), "blocks:list", {Role.ADMIN, Role.SUPPORT}), key="blocks:list", order=30
        )
        SETTINGS_SECTIONS.register("blocks/settings_section.html", key="blocks")
        DEMO_STEPS.register(demo_blocks, key="blocks")
