from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LawConfig(AppConfig):
    name = "standing.law"
    verbose_name = "Law"

    def ready(self):
        from standing.accounts.models import Role
        from standing.core.context_processors import NAVIGATION
        from standing.core.views import SETTINGS_SECTIONS

        # Staff and vendor users: the calculator shows nobody's data.
        entry = (
            _("Interest calculator"),
            "law:calculator",
            {Role.ADMIN, Role.SUPPORT, Role.VENDOR},
        )
        if entry[1] not in [name for _label, name, _roles in NAVIGATION]:
            NAVIGATION.append(entry)
        if "law/settings_section.html" not in SETTINGS_SECTIONS:
            SETTINGS_SECTIONS.append("law/settings_section.html")
