"""Property-based: every page and API route of the site, sent generated query strings,
form bodies and (to the API) JSON as every role, never answers a 5xx (issue 18, item 5).

One test per route (the URL resolver's list, as tests/permissions/test_routes.py walks
it), the module's shared world with a study and a design team; each generated request
goes out once per role, in a savepoint that is rolled back, so examples do not build on
each other. Hypothesis is derandomized and bounded (EXAMPLES per route): the same
requests every run, about 15 seconds in all (ROUTE_FUZZ_EXAMPLES=50 for a deeper run).
schemathesis (tests/test_api_fuzz.py) keeps covering the API schema;
tests/test_bad_input.py names each case found.
"""

import inspect
import json
import os
import re
import zlib
from http.cookies import SimpleCookie
from urllib.parse import quote

import pytest
from django import forms
from django.conf import settings as django_settings
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, given, seed
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from rest_framework import serializers

from tests.permissions.test_research import add_research
from tests.strict_api import use_strict_api

# Each example goes out as every role: 2 examples are 12 requests per route. More for a
# deeper run by hand: ROUTE_FUZZ_EXAMPLES=50 pytest tests/test_route_fuzz.py
EXAMPLES = int(os.environ.get("ROUTE_FUZZ_EXAMPLES", "2"))
FUZZ = hypothesis_settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
ROLES = ["anonymous", "pupil", "teacher", "other_school_teacher", "school_admin", "researcher"]
# The schema and its docs are big and fixed (schemathesis reads them); Django's admin
# is tested form by form (tests/test_admin_forms.py, tests/test_bad_input.py).
SKIPPED = {"api-schema", "api-docs"}


# --- The routes -----------------------------------------------------------------------


def _routes(resolver=None, namespace=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _routes(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            if "format" in pattern.pattern.regex.groupindex:
                continue  # the same view as its route without ".json"
            name = f"{namespace}{pattern.name}"
            if name not in SKIPPED:
                yield name, pattern


ROUTES = dict(_routes())


def _model_of(pattern):
    cls = getattr(pattern.callback, "cls", None)
    queryset = getattr(cls, "queryset", None)
    return getattr(queryset, "model", None)


# A path parameter `<name>_id` is the world's object of that name, the API's `pk` the
# world's object of the view's model; the string parameters are these.
# key: a class photo's name; uidb64: user 1 in a password link (any token is refused).
STRINGS = {"command": "start", "fmt": "csv", "key": "0" * 24, "uidb64": "MQ"}


def url_of(name: str, pattern, world) -> str:
    kwargs = {}
    for param in pattern.pattern.regex.groupindex:
        if param == "pk":
            model = _model_of(pattern)
            found = [v for v in vars(world).values() if model and type(v) is model]
            kwargs[param] = found[0].pk if found else 1
        elif param == "code":
            kwargs[param] = world.group.class_code
        elif param == "token":
            kwargs[param] = world.pupil.login_token
        elif param in STRINGS:
            kwargs[param] = STRINGS[param]
        else:
            obj = getattr(world, param.removesuffix("_id"), None)
            kwargs[param] = obj.pk if obj is not None else 1
    return reverse(name, kwargs=kwargs)


def methods_of(pattern) -> list[str]:
    """The route's methods, the one its simplest example uses first: GET for the API (its
    filters and pages are query strings), POST for a page (a POST carries the query
    string too, and a page that only shows reads it all the same)."""
    actions = getattr(pattern.callback, "actions", None)
    if actions:
        return [m for m in ("get", "post", "put", "patch", "delete") if m in actions]
    if getattr(pattern.callback, "cls", None) is not None:  # an APIView
        cls = pattern.callback.cls
        return [m for m in ("get", "post", "put", "patch", "delete") if hasattr(cls, m)]
    return ["post", "get"]


def is_api(pattern) -> bool:
    return getattr(pattern.callback, "cls", None) is not None


# --- The names and values that are sent ------------------------------------------------


def _form_fields() -> set[str]:
    from frontend import forms as lesson_forms
    from frontend import goal_forms, place_forms, research_forms

    names = set()
    for module in (lesson_forms, goal_forms, place_forms, research_forms):
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                names |= set(cls.base_fields)
    return names


def _serializer_fields() -> set[str]:
    from classroom import api as classroom_api
    from goals import api as goals_api
    from logbook import api as logbook_api
    from planboard import api as planboard_api
    from research import api as research_api

    names = set()
    for module in (classroom_api, goals_api, logbook_api, planboard_api, research_api):
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, serializers.BaseSerializer) and cls.__module__ == module.__name__:
                try:
                    names |= set(cls().fields)
                except Exception:  # noqa: S112 - a serializer that needs its view's context
                    continue
    return names


# What the views read from query strings and forms by hand (grep request.GET/POST).
READ_BY_HAND = {
    "group", "goal", "block", "pupil", "lesson", "limit", "offset", "datum", "van", "blok",
    "filter", "fotos", "fmt", "next", "naar", "command", "activity", "slot", "plan", "on",
    "compulsory", "source", "level", "note", "goals", "text", "confirm", "id", "thumb",
    "comment", "remove", "code", "username", "password", "language", "value", "aspect",
}  # fmt: skip
NAMES = sorted(READ_BY_HAND | _form_fields() | _serializer_fields())

# The inputs the security sweep found, and their relatives ("²" first: the simplest
# example, which Hypothesis tries first, sends it in every field at once).
NASTY = [
    "²", "٣", "１", "0", "-1", "1", "2", "3", "9" * 30, "99999999999999999999", "1e309",
    "NaN", "inf", "2024-02-30", "0000-01-01", "9999-12-31", "2026-13-01", "today", "",
    " ", "\x00", "a\x00b", "\ud800", "\udfff", "%", "<script>", "'", "[]", "{}", "true",
    "on", "yes", "start", "end", "csv", "nl", "en", "zz",
]  # fmt: skip

keys = st.one_of(st.sampled_from(NAMES), st.text(min_size=1, max_size=6))
values = st.one_of(
    st.sampled_from(NASTY),
    st.integers(min_value=-5, max_value=60).map(str),
    st.text(max_size=12),
)
# Either one value in every name at once (a view reads the one it knows), or a few
# names with values of their own.
pairs = st.one_of(
    values.map(lambda value: [(name, value) for name in NAMES]),
    st.lists(st.tuples(keys, values), max_size=6),
)


def encoded(items) -> str:
    """key=value&…, percent-encoded byte by byte: a lone surrogate goes out as the bytes
    a broken client would send (ED A0 80), which are no UTF-8."""
    return "&".join(
        f"{quote(k, safe='', errors='surrogatepass')}={quote(v, safe='', errors='surrogatepass')}"
        for k, v in items
    )


json_scalars = st.one_of(
    values,
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(keys, inner, max_size=3),
    max_leaves=8,
)
RAW_BODIES = [
    '{"value": 1e309}', '{"lesson": 1e400}', "[" * 5000 + "]" * 5000, '{"a": NaN}',
    '{"text": "\\ud800"}', '{"text": "\\u0000"}', "", "null", "[]", '"x"', "{",
    b'{"text": "\xff\xfe"}',  # no UTF-8
]  # fmt: skip
json_bodies = st.one_of(
    json_values.map(lambda value: json.dumps(dict.fromkeys(NAMES, value))),
    st.dictionaries(keys, json_values, max_size=6).map(json.dumps),
    st.sampled_from(RAW_BODIES),
)


@st.composite
def requests(draw, methods: list[str], api: bool):
    method = draw(st.sampled_from(methods))
    query = encoded(draw(pairs))
    if method == "get":
        return method, query, None, None
    if api and not draw(st.booleans()):  # JSON first: what the API's clients send
        return method, query, draw(json_bodies), "application/json"
    return method, query, encoded(draw(pairs)), "application/x-www-form-urlencoded"


# --- The test ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def extend_world():
    def extend(world):
        add_research(world)
        # One session per role, made once for the module: a login per request would be
        # most of the fuzzer's time.
        world.sessions = {}
        for role in ROLES:
            user = world.researcher if role == "researcher" else world.user(role)
            if user is not None:
                client = Client()
                client.force_login(user)
                world.sessions[role] = client.cookies[django_settings.SESSION_COOKIE_NAME].value

    return extend


@pytest.fixture(scope="module")
def _browser():
    """One test client for the module: loading the middleware (WhiteNoise reads every
    static file) takes longer than a dozen requests. Its cookies are set per request."""
    return Client()


@pytest.fixture
def browser(_browser, settings, monkeypatch):
    """The module's client, the API configured as in production (tests/strict_api.py)."""
    use_strict_api(settings, monkeypatch)
    return _browser


@pytest.fixture
def shared(db, _shared_world, settings):
    """The module's world as built (SharedWorld), not a copy per test: the fuzzer only
    reads its ids, and every request is rolled back. Its photos are where it made them."""
    assert _shared_world.is_open
    settings.MEDIA_ROOT = _shared_world.media
    return _shared_world.world


def send(client: Client, session: str | None, method: str, url: str, query, body, kind):
    client.cookies = SimpleCookie()
    if session:
        client.cookies[django_settings.SESSION_COOKIE_NAME] = session
    target = f"{url}?{query}" if query else url
    call = getattr(client, method)
    if body is None:
        response = call(target)
    else:
        data = body if isinstance(body, bytes) else body.encode()  # ASCII: percent-encoded
        response = call(target, data=data, content_type=kind)
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)  # an export fails while it streams, if at all
    return response


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_no_route_answers_a_server_error(shared, browser, name):
    pattern = ROUTES[name]
    url = url_of(name, pattern, shared)

    @FUZZ
    @seed(zlib.crc32(name.encode()))  # each route its own examples, the same every run
    @given(requests(methods_of(pattern), is_api(pattern)))
    def no_server_error(request):
        method, query, body, kind = request
        for role in ROLES:
            with transaction.atomic():
                response = send(browser, shared.sessions.get(role), method, url, query, body, kind)
                transaction.set_rollback(True)
            assert response.status_code < 500, (role, method, url, query, body)

    no_server_error()


def test_every_route_is_fuzzed():
    """The resolver's every named route but the skipped ones (a route added later is in
    the list by itself); and the path parameters all have a value."""
    assert len(ROUTES) > 100
    unknown = {
        param
        for pattern in ROUTES.values()
        for param in pattern.pattern.regex.groupindex
        if param not in {"pk", "code", "token", *STRINGS} and not re.fullmatch(r"[a-z]+_id", param)
    }
    assert not unknown
