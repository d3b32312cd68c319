"""Every route of the site and every WebSocket is in the permission matrix: each
`test_*.py` module of this package names the routes its cases cover in `COVERED` (and
the sockets in `COVERED_SOCKETS`); a route in none of them fails here."""

import importlib
import pkgutil

from django.urls import URLPattern, URLResolver, get_resolver

import tests.permissions

# Open to anyone: the start page, logins, the class pages reached by class code, the
# API schema and docs, health, language switching, and Django's own admin (which is
# scoped by classroom.admin and tested in test_admin.py).
PUBLIC_ROUTES = {
    "frontend:start",
    "frontend:service-worker",
    "frontend:manifest",
    "frontend:home",
    "frontend:teacher-login",
    # A new teacher's password link: its token is the right (tests/classroom/test_staff_roster.py).
    "frontend:set-password",
    # The second step of a login: only a session whose password was right gets further
    # (tests/test_second_factor.py).
    "frontend:second-factor",
    # Signing in with the school's account: the provider's answer is the right; an
    # account is matched, never created (tests/test_school_account.py).
    "frontend:school-account",
    "frontend:school-account-callback",
    "frontend:school-account-failed",
    "frontend:logout",
    "frontend:class-code",
    "frontend:class-grid",
    "frontend:choose-pupil",
    "frontend:picture-code",
    "frontend:class-photo",
    "frontend:old-login-card",
    "api-root",
    "api-schema",
    "api-docs",
    "healthz",
    "set_language",
}


def matrix_modules():
    for info in pkgutil.iter_modules(tests.permissions.__path__):
        if info.name.startswith("test_") and info.name != "test_routes":
            yield importlib.import_module(f"tests.permissions.{info.name}")


def covered(attribute: str) -> set:
    return set().union(*(getattr(module, attribute, set()) for module in matrix_modules()))


def _route_names(resolver, namespace=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            if ns == "admin":
                continue
            yield from _route_names(pattern, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def unlisted_routes(routes: set) -> set:
    return routes - covered("COVERED") - PUBLIC_ROUTES


def test_every_route_is_in_the_matrix():
    missing = unlisted_routes(set(_route_names(get_resolver())))
    assert not missing, f"routes without permission-matrix entries: {sorted(missing)}"


def test_an_unlisted_route_would_fail_the_check():
    assert unlisted_routes({"frontend:teacher-home", "frontend:brand-new"}) == {
        "frontend:brand-new"
    }


def test_every_websocket_is_in_the_matrix():
    from config.asgi import websocket_urlpatterns

    sockets = {str(pattern.pattern) for pattern in websocket_urlpatterns}
    missing = sockets - covered("COVERED_SOCKETS")
    assert not missing, f"WebSockets without permission-matrix entries: {sorted(missing)}"
    assert covered("COVERED_SOCKETS") <= sockets, "the matrix names a socket that is gone"
