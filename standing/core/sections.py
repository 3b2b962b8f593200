"""Sections of the settings page ("Einstellungen") that the apps contribute: template names,
registered in AppConfig.ready() with ``SETTINGS_SECTIONS.register(template, key=template)``.
The page itself is a site-level view (``standing.site``); the registry sits here, below every
app, so that any app may fill it."""

from standing.core.registry import Registry

SETTINGS_SECTIONS = Registry("settings sections")
