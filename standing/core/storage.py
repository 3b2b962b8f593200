"""Static files: WhiteNoise's compressed, hashed storage, with each file's URL looked up once
per process. Every page asks for six (styles, scripts), each a manifest lookup and a URL
join; the manifest does not change while the process runs (``collectstatic`` runs before
the server starts)."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    def url(self, name, force=False):
        if force:
            return super().url(name, force)
        urls = self.__dict__.setdefault("_urls", {})
        if name not in urls:
            urls[name] = super().url(name)
        return urls[name]
