"""The demo school, and the API's schema and docs."""

from django.core.management import call_command

from classroom.models import Group, Lesson, Place, Pupil, School
from tests.otp import code_for_setup


def test_seed_demo_builds_a_school_once(db, capsys):
    call_command("seed_demo", "--if-empty")
    assert "Demo school loaded" in capsys.readouterr().out
    call_command("login_hints")
    out = capsys.readouterr().out
    groups = {g.name: g for g in Group.objects.all()}
    assert set(groups) == {"De Beren", "Groep 5", "Groep 8"}
    assert groups["De Beren"].years_label == "groep 1-2"
    assert groups["De Beren"].picture_code_length == 2
    assert Pupil.objects.filter(group=groups["Groep 8"]).count() >= 20
    assert Place.objects.filter(group=groups["Groep 5"]).exists()
    assert Lesson.objects.filter(group=groups["Groep 8"]).exists()
    # The printed hints let someone log in straight away.
    for group in groups.values():
        assert group.class_code in out
    assert "juf.fatima" in out and "leerregie-demo" in out

    call_command("seed_demo", "--if-empty")
    assert School.objects.count() == 1
    assert "not loaded" in capsys.readouterr().out


def test_a_demo_teacher_can_log_in(db, client):
    call_command("seed_demo")
    response = client.post("/login/", {"username": "juf.fatima", "password": "leerregie-demo"})
    assert response.status_code == 302
    page = client.get("/leerkracht/").content.decode()
    assert "Groep 8" in page and "Groep 5" not in page


def test_the_demo_researcher_sees_the_study_and_exports_it(db, client):
    call_command("seed_demo")
    response = client.post("/login/", {"username": "onderzoeker", "password": "leerregie-demo"})
    # A researcher sets up the second step at the first login (a code app on the phone).
    assert response["Location"] == "/login/tweede-stap/"
    key = client.get("/login/tweede-stap/").context["key"]
    response = client.post("/login/tweede-stap/", {"code": code_for_setup(key)})
    assert response["Location"] == "/login/herstelcodes/"
    page = client.get("/onderzoek/").content.decode()
    assert "Regie en belang in de rekenles" in page
    assert "Zelf kiezen met een keuzebord" in page
    study = client.get("/api/studies/").json()["results"][0]
    export = client.get(f"/api/studies/{study['id']}/export/?fmt=csv")
    assert export.status_code == 200 and export["Content-Type"] == "application/zip"


def test_the_openapi_schema_lists_every_api_endpoint(client, db):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in [
        "/api/schools/",
        "/api/groups/",
        "/api/groups/{id}/new-class-code/",
        "/api/pupils/",
        "/api/pupils/{id}/new-picture-code/",
        "/api/pupils/{id}/unlock/",
        "/api/places/",
        "/api/lessons/",
        "/api/me/",
        "/api/strands/",
        "/api/blocks/",
        "/api/goals/",
        "/api/goals/{id}/star/",
        "/api/self-assessments/",
        "/api/teacher-assessments/",
        "/api/lessons/{id}/dashboard/",
        "/api/studies/",
        "/api/studies/{id}/export/",
        "/api/consents/",
    ]:
        assert path in paths
    # Pupil writes document their idempotency header.
    for path in ("/api/self-assessments/", "/api/goals/{id}/star/"):
        parameters = paths[path]["post"].get("parameters", [])
        assert any(p["name"] == "Idempotency-Key" and p["in"] == "header" for p in parameters)


def test_the_api_docs_are_served_from_this_server(client, db):
    page = client.get("/api/docs/").content.decode()
    assert "/api/schema/" in page
    # No CDN: schools' networks may block it, and pupils' data pages must not call out.
    assert "cdn." not in page and "unpkg" not in page
