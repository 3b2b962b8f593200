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
        from standing.core import tick
        from standing.core.context_processors import NAVIGATION
        from standing.core.demo import DEMO_STEPS
        from standing.core.views import SETTINGS_SECTIONS
        from standing.customers.panels import Panel, register

        from . import services
        from .demo import demo_blocks
        from .panel import panel_context

        tick.register(services.expire_due_blocks)
        register(
            Panel(
                "blocks",
                "blocks/panel.html",
                panel_context,
                column="main",
                order=10,
                roles=frozenset({Role.ADMIN, Role.SUPPORT}),
            )
        )
        entry = (_("Blocks"), "blocks:list", {Role.ADMIN, Role.SUPPORT})
        if entry[1] not in [name for _label, name, _roles in NAVIGATION]:
            NAVIGATION.insert(1, entry)
        if "blocks/settings_section.html" not in SETTINGS_SECTIONS:
            SETTINGS_SECTIONS.append("blocks/settings_section.html")
        if demo_blocks not in DEMO_STEPS:
            DEMO_STEPS.append(demo_blocks)
