"""Middleware of the whole site.

- Compression for text: pages, CSS, JavaScript, JSON and SVG. Photos, zips and other
  binary files are already compressed; squeezing them again only costs the server time.
- A database too busy to write within its timeout answers "try again in a moment" (503),
  never "database is locked": pupils' writes wait in their outbox and are sent again.
- Pupils see their group's language (set by the teacher), never one chosen by a button
  a kleuter can hit; staff keep their own choice (LocaleMiddleware).
"""

import logging

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.db import OperationalError
from django.http import JsonResponse
from django.middleware.gzip import GZipMiddleware
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.deprecation import MiddlewareMixin
from django.utils.translation import gettext as _
from whitenoise.middleware import WhiteNoiseMiddleware

from classroom.models import Group, installation_language
from classroom.permissions import actor_for

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


class BusyDatabaseMiddleware(MiddlewareMixin):
    """Sync and async capable (MiddlewareMixin), so it never makes a request hop between
    the event loop and a thread."""

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


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    """WhiteNoise, usable in an async middleware chain. WhiteNoise itself is sync-only:
    under ASGI that makes every request hop from a thread to the event loop and back to a
    thread before it reaches its view, and under load each hop waits for the busy loop.
    Finding a static file is a dictionary lookup, so doing it on the loop costs nothing."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response):
        super().__init__(get_response)
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def __call__(self, request):
        if self.is_async:
            return self.__acall__(request)
        return super().__call__(request)

    async def __acall__(self, request):
        static_file = (
            self.find_file(request.path_info)
            if self.autorefresh
            else self.files.get(request.path_info)
        )
        if static_file is not None:
            return self.serve(static_file, request)
        return await self.get_response(request)


PUPIL_LOGIN_PREFIX = "/klas/"  # frontend:class-code and the pages below it


class PupilLanguageMiddleware(MiddlewareMixin):
    """After AuthenticationMiddleware. A pupil's requests (pages and API) are in their
    group's language; the login pages under /klas/ in the language of the group in the
    URL, or the installation's before a class is chosen. Everyone else keeps what
    LocaleMiddleware chose (the language cookie, the browser)."""

    def process_request(self, request):
        language = self.pupil_language(request)
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language

    @staticmethod
    def pupil_language(request) -> str | None:
        pupil = actor_for(getattr(request, "user", None)).pupil
        if pupil is not None:
            return pupil.group.language
        if not request.path_info.startswith(PUPIL_LOGIN_PREFIX):
            return None
        code = request.path_info[len(PUPIL_LOGIN_PREFIX) :].split("/")[0]
        if code:
            found = Group.objects.current().filter(class_code=code.upper()).values_list("language")
            for (language,) in found[:1]:
                return language
        return installation_language()


class NoStoreMiddleware(MiddlewareMixin):
    """`Cache-Control: no-store, private` on every response to a logged-in user: pages,
    API answers and exports hold children's data, which no shared computer's browser
    cache and no proxy should keep. (The offline pages of pupils live in the service
    worker's own cache, which this does not touch.)"""

    def process_response(self, request, response):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response
