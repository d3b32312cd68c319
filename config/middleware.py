"""Middleware of the whole site.

- Compression for text: pages, CSS, JavaScript, JSON and SVG. Photos, zips and other
  binary files are already compressed; squeezing them again only costs the server time.
- A database too busy to write within its timeout answers "try again in a moment" (503),
  never "database is locked": pupils' writes wait in their outbox and are sent again.
"""

import logging

from django.db import OperationalError
from django.http import JsonResponse
from django.middleware.gzip import GZipMiddleware
from django.shortcuts import render
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

COMPRESSIBLE = (
    "text/",
    "application/json",
    "application/javascript",
    "application/manifest+json",
    "image/svg+xml",
)


class TextGZipMiddleware(GZipMiddleware):
    """Django's GZipMiddleware (with its BREACH length mitigation), for text only."""

    def process_response(self, request, response):
        if not response.get("Content-Type", "").startswith(COMPRESSIBLE):
            return response
        return super().process_response(request, response)


BUSY_SIGNS = ("database is locked", "database table is locked", "could not obtain lock")


class BusyDatabaseMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError):
            return None
        if not any(sign in str(exception).lower() for sign in BUSY_SIGNS):
            return None
        logger.warning("database busy: %s %s", request.method, request.path)
        message = _("It is very busy right now. Try again in a moment.")
        if request.path.startswith("/api/"):
            response = JsonResponse({"detail": [message]}, status=503)
        else:
            response = render(request, "503.html", {"message": message}, status=503)
        response["Retry-After"] = "2"
        return response
