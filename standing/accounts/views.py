from django.conf import settings
from django.http import HttpResponseBadRequest
from django.utils import translation
from django.views.decorators.http import require_POST

from standing.core.http import redirect_back


@require_POST
def set_language(request):
    """Switch the UI language; stored on the user so it holds on every device."""
    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES):
        return HttpResponseBadRequest("Unknown language.")
    if request.user.is_authenticated:
        request.user.language = language
        request.user.save(update_fields=["language"])
    translation.activate(language)
    response = redirect_back(request, "/")
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
    return response
