from django.core.management import call_command


def test_collectstatic_with_the_production_storage(settings, tmp_path):
    """Production serves hashed, compressed files; every referenced file must exist."""
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "standing.core.storage.StaticStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    assert (tmp_path / "static" / "staticfiles.json").exists()

    # Each file's URL is WhiteNoise's hashed one, looked up once.
    from whitenoise.storage import CompressedManifestStaticFilesStorage

    from standing.core.storage import StaticStorage

    ours, theirs = StaticStorage(), CompressedManifestStaticFilesStorage()
    name = "vendor/bootstrap/bootstrap.min.css"
    url = ours.url(name)
    assert url == theirs.url(name) != f"{settings.STATIC_URL}{name}"
    assert ours.__dict__["_urls"] == {name: url} and ours.url(name) is url
