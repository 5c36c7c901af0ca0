"""Small endpoints that let cached, cookie-free pages still carry working forms."""

from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@never_cache
@require_GET
def csrf_token(request):
    """The CSRF token for forms on cached pages.

    Anonymous pages carry no cookie and no token so they can be cached by any proxy; a form's
    script asks here just before submitting (one mechanism for search, comments, newsletter,
    donations). This response sets the CSRF cookie and is never cached.
    """
    return JsonResponse({"token": get_token(request)}, headers={"Cache-Control": "no-store"})


def page_not_found(request, exception=None):
    return render(request, "pages/404.html", status=404)


def server_error(request):
    return render(request, "pages/500.html", status=500)
