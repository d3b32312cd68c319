"""Logs that do not identify (issue 19): after a pupil logs in, no django-axes row, no
log record and no line of daphne's access log (config/serve.py) holds their login token
or username; teachers' wrong passwords are still counted. tests/e2e/test_login_privacy.py
checks the real browser and the real daphne."""

import io
import logging

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.core.files.uploadedfile import SimpleUploadedFile

from classroom import actions
from config.serve import AccessLog as DaphneAccessLog
from config.serve import loggable_path
from tests.conftest import choose_pupil
from tests.images import jpeg_bytes


def axes_rows() -> list[str]:
    rows = []
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        rows += [repr(values) for values in model.objects.values_list()]
    return rows


def access_log(responses) -> str:
    """The lines daphne's access log (as config.serve writes it) has for these requests."""
    out = io.StringIO()
    log = DaphneAccessLog(out)
    for response in responses:
        request = response.request
        query = request.get("QUERY_STRING", "")
        uri = request["PATH_INFO"] + (f"?{query}" if query else "")
        details = {"path": uri, "status": response.status_code, "size": 1}
        log("http", "complete", {**details, "method": request["REQUEST_METHOD"], "client": "::1"})
    return out.getvalue()


def test_a_pupils_login_leaves_no_token_or_username_in_any_log(world, client, caplog):
    caplog.set_level(logging.DEBUG)
    actions.set_pupil_photo(world.pupil, SimpleUploadedFile("n.jpg", jpeg_bytes()))
    code = world.group.class_code
    grid = client.get(f"/klas/{code}/")
    photo = client.get(next(p.grid_photo_url for p in grid.context["pupils"] if p.photo))
    responses = [grid, photo, choose_pupil(client, world.pupil)]
    responses.append(client.get(f"/klas/{code}/code/"))
    responses.append(client.post(f"/klas/{code}/code/", {"code": "moon,moon,moon"}))
    responses.append(client.post(f"/klas/{code}/code/", {"code": "sun,fish,star"}))
    assert responses[-1]["Location"] == "/leerling/"
    responses.append(client.get("/leerling/"))
    responses.append(client.post("/leerling/wissel/"))
    # A card printed before: its URL holds a token, the log line does not.
    responses.append(client.get(f"/klas/{code}/{world.classmate.login_token}/?utm=x"))

    assert AccessLog.objects.count() == 0  # AXES_DISABLE_ACCESS_LOG
    lines = access_log(responses)
    assert f'"POST /klas/{code}/kies/" 302' in lines and f'"GET /klas/{code}/..." 302' in lines
    records = "\n".join(record.getMessage() for record in caplog.records)
    for pupil in (world.pupil, world.classmate):
        for mark in (pupil.login_token, pupil.user.username):
            assert not [row for row in axes_rows() if mark in row]
            assert mark not in lines
            assert mark not in records
    assert "?" not in lines


def test_a_teachers_wrong_passwords_are_still_counted_and_a_login_is_not_logged(world, client):
    for _ in range(2):
        client.post("/login/", {"username": "juf.mirjam", "password": "wrong"})
    attempt = AccessAttempt.objects.get(username="juf.mirjam")
    assert attempt.failures_since_start == 2 and attempt.path_info == "/login/"
    client.post("/login/", {"username": "juf.mirjam", "password": "correct horse 42"})
    assert "_auth_user_id" in client.session
    assert AccessLog.objects.count() == 0
    assert not AccessAttempt.objects.filter(username="juf.mirjam").exists()  # reset on success


def test_the_access_log_keeps_paths_without_queries_or_anything_below_a_class():
    assert loggable_path("/leerkracht/groep/3/?q=Noor") == "/leerkracht/groep/3/"
    assert loggable_path("/klas/") == "/klas/"
    assert loggable_path("/klas/ABC123/") == "/klas/ABC123/"
    assert loggable_path("/klas/ABC123/kies/") == "/klas/ABC123/kies/"
    assert loggable_path("/klas/ABC123/code/?x") == "/klas/ABC123/code/"
    assert loggable_path("/klas/ABC123/oA6Jp75Pmddi262e/") == "/klas/ABC123/..."
    assert loggable_path("/klas/ABC123/oA6Jp75Pmddi262e/foto") == "/klas/ABC123/..."
    assert loggable_path("/klas/ABC123/foto/0123abcd") == "/klas/ABC123/..."
    assert loggable_path("/ws/klas/12/") == "/ws/klas/12/"
