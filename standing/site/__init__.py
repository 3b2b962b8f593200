"""The site's own pages, which compose several apps: the start page, the customer's own page,
the settings page. The top layer below ``standing.api``: it may import every app, and no app
imports it (see the layers in pyproject.toml)."""
