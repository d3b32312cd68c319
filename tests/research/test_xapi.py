"""The events as xAPI 1.0.3 statements, checked against the statement structure of the
specification (xAPI 1.0.3, part two, section 2.4): required properties, the actor as an
account with an opaque name, IRIs for verbs, activities and extension keys, language maps,
UUIDs and ISO 8601 timestamps with a time zone."""

import io
import json
import re
import uuid
import zipfile
from datetime import datetime
from urllib.parse import urlparse

import pytest

from research.exports import Export, zip_stream
from tests.research.test_export import school  # noqa: F401 - the fixture

STATEMENT_PROPERTIES = {
    "id", "actor", "verb", "object", "result", "context", "timestamp", "stored",
    "authority", "version", "attachments",
}  # fmt: skip
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
PSEUDONYM = re.compile(r"^[pt]_[0-9a-f]{16}$")


def is_iri(value) -> bool:
    parsed = urlparse(value) if isinstance(value, str) else None
    return bool(parsed and parsed.scheme and (parsed.netloc or parsed.path))


def is_irl(value) -> bool:
    parsed = urlparse(value) if isinstance(value, str) else None
    return bool(parsed and parsed.scheme in ("http", "https") and parsed.netloc)


def check_statement(statement: dict) -> list[str]:
    problems = []
    problems += [f"unknown property {k}" for k in set(statement) - STATEMENT_PROPERTIES]
    for required in ("actor", "verb", "object"):
        if required not in statement:
            problems.append(f"missing {required}")
    try:
        if uuid.UUID(statement["id"]).variant != uuid.RFC_4122:
            problems.append("id is not an RFC 4122 UUID")
    except (KeyError, ValueError):
        problems.append("id is not a UUID")
    actor = statement.get("actor", {})
    if actor.get("objectType", "Agent") != "Agent":
        problems.append("actor is not an Agent")
    identifiers = {"mbox", "mbox_sha1sum", "openid", "account"} & set(actor)
    if identifiers != {"account"}:
        problems.append(f"actor must be identified by exactly an account, not {identifiers}")
    account = actor.get("account", {})
    if set(account) != {"homePage", "name"} or not is_irl(account.get("homePage")):
        problems.append("account needs an IRL homePage and a name")
    if not PSEUDONYM.match(str(account.get("name"))):
        problems.append(f"account name is not opaque: {account.get('name')!r}")
    verb = statement.get("verb", {})
    if not is_iri(verb.get("id")):
        problems.append("verb id is not an IRI")
    display = verb.get("display", {})
    if not display or not all(
        LANGUAGE_TAG.match(k) and isinstance(v, str) for k, v in display.items()
    ):
        problems.append("verb display is not a language map")
    obj = statement.get("object", {})
    if obj.get("objectType", "Activity") != "Activity" or not is_iri(obj.get("id")):
        problems.append("object is not an Activity with an IRI id")
    if not is_iri(obj.get("definition", {}).get("type")):
        problems.append("activity type is not an IRI")
    try:
        moment = datetime.fromisoformat(statement["timestamp"].replace("Z", "+00:00"))
        if moment.tzinfo is None:
            problems.append("timestamp without a time zone")
    except (KeyError, ValueError):
        problems.append("timestamp is not ISO 8601")
    extensions = statement.get("context", {}).get("extensions", {})
    problems += [f"extension key {k} is not an IRI" for k in extensions if not is_iri(k)]
    if not re.match(r"^1\.0\.\d+$", statement.get("version", "1.0.3")):
        problems.append("version is not 1.0.x")
    return problems


def statements(study):
    archive = zipfile.ZipFile(io.BytesIO(b"".join(zip_stream(Export(study), "xapi"))))
    return json.loads(archive.read("events.xapi.json"))


@pytest.mark.parametrize("coarse", [True, False])
def test_every_statement_follows_the_xapi_structure(school, coarse):  # noqa: F811
    study = school["study"]
    study.coarsen_to_day = coarse
    study.save()
    result = statements(study)
    assert len(result) > 5
    for statement in result:
        assert check_statement(statement) == [], statement
    assert len({s["id"] for s in result}) == len(result)
    verbs = {s["verb"]["id"].rsplit("/", 1)[1] for s in result}
    assert {"lesson_started", "logbook_chosen", "logbook_evaluated"} <= verbs


def test_the_checker_catches_what_it_should():
    good = {
        "id": str(uuid.uuid4()),
        "actor": {"account": {"homePage": "https://example.org", "name": "p_0123456789abcdef"}},
        "verb": {"id": "https://example.org/v", "display": {"en": "did"}},
        "object": {"id": "https://example.org/a", "definition": {"type": "https://x.org/t"}},
        "timestamp": "2026-11-23T10:00:00Z",
    }
    assert check_statement(good) == []
    named = {**good, "actor": {"account": {"homePage": "https://e.org", "name": "Zara"}}}
    assert check_statement(named)
    assert check_statement({**good, "timestamp": "2026-11-23T10:00:00"})
    assert check_statement({**good, "verb": {"id": "logbook_chosen", "display": {"en": "x"}}})
    assert check_statement({**good, "actor": {"mbox": "mailto:zara@example.org"}})
