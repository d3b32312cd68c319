"""The installable web app: its manifest and its service worker."""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.templatetags.static import static
from django.utils.html import escape
from django.utils.translation import gettext as _

FRONTEND = Path(__file__).resolve().parents[1]
STATIC_DIR = FRONTEND / "static"


@lru_cache(maxsize=1)
def _precache() -> tuple[str, list[str]]:
    """The app's own static files, and a version that changes when any of them does."""
    digest = hashlib.sha256()
    urls = []
    for path in sorted(p for p in STATIC_DIR.rglob("*") if p.is_file()):
        relative = path.relative_to(STATIC_DIR).as_posix()
        digest.update(relative.encode() + b"\0" + path.read_bytes())
        urls.append(static(relative))
    digest.update((FRONTEND / "serviceworker.js").read_bytes())
    return digest.hexdigest()[:16], urls


def service_worker(request):
    if settings.DEBUG:
        _precache.cache_clear()
    version, urls = _precache()
    message = escape(_("No connection. Trying again …"))
    offline_html = (
        '<!doctype html><meta charset="utf-8"><meta name="viewport" '
        'content="width=device-width, initial-scale=1"><title>Leerregie</title>'
        f'<p style="font: 1.4rem system-ui; margin: 2rem">{message}</p>'
    )
    body = (
        f"const VERSION = {json.dumps(version)};\n"
        f"const PRECACHE = {json.dumps(urls)};\n"
        f"const OFFLINE_HTML = {json.dumps(offline_html)};\n"
        + (FRONTEND / "serviceworker.js").read_text()
    )
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response


def manifest(request):
    data = {
        "name": "Leerregie",
        "short_name": "Leerregie",
        "description": _("Choose your goals, keep your logbook and plan your day."),
        "lang": request.LANGUAGE_CODE,
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#f7f5f0",
        "theme_color": "#1c4e80",
        "icons": [
            {"src": static("icons/app-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("icons/app-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("icons/app-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
            {"src": static("icons/app.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    return JsonResponse(data, content_type="application/manifest+json")
