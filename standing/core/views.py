"""``/health/``: for a load balancer or a monitor, no login. 200 when the database answers,
503 when it doesn't; the body says which. Also the bench's trivial view: one tiny query behind
the whole middleware stack, so ``standing bench run`` can say what the server itself costs."""

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.http import require_safe


@require_safe
def health(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    response = JsonResponse({"status": "ok", "database": "ok"})
    response["Cache-Control"] = "no-store"
    return response
