"""The audit log: an export, a consent change, an erasure and a data download each leave
one record that says who did it (and where), never which pupil."""

import json

import pytest
from django.urls import reverse

from classroom import audit, permissions
from classroom.models import AuditRecord
from research import actions
from research.models import Dataset
from tests.conftest import block_study


@pytest.fixture
def study(world):
    return block_study(world, [Dataset.ENTRIES, Dataset.EVENTS])


def _names_no_pupil(record, *pupils):
    text = json.dumps(record.detail) + record.actor_label
    for pupil in pupils:
        assert pupil.display_name not in text and pupil.user.username not in text
    assert not {"pupil", "pupils", "pupil_id"} & set(record.detail)


def test_consent_set_through_the_api_is_recorded_with_a_count(world, api, study):
    api.force_authenticate(world.teacher)
    data = {"study": study.pk, "pupil": world.pupil.pk, "status": "given"}
    assert api.post("/api/consents/", data, format="json").status_code == 200
    (record,) = AuditRecord.objects.all()
    assert record.action == "consent_changed"
    assert (record.actor, record.actor_label) == (world.teacher, "juf.mirjam")
    assert (record.school, record.group, record.study_id) == (world.school, world.group, study.pk)
    assert record.detail == {"count": 1, "statuses": {"given": 1}}
    _names_no_pupil(record, world.pupil)


def test_one_save_of_the_consent_table_is_one_record(world, study):
    statuses = {world.pupil: "given", world.classmate: "refused"}
    assert actions.set_consents(study=study, statuses=statuses, acting_user=world.school_admin)
    (record,) = AuditRecord.objects.all()
    assert record.detail == {"count": 2, "statuses": {"given": 1, "refused": 1}}
    # Saving the same table again changes nothing and records nothing.
    assert not actions.set_consents(study=study, statuses=statuses, acting_user=world.teacher)
    assert AuditRecord.objects.count() == 1


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_an_export_through_the_api_is_recorded(world, api, study, fmt):
    api.force_authenticate(world.school_admin)
    response = api.get(f"/api/studies/{study.pk}/export/?fmt={fmt}")
    assert response.status_code == 200
    b"".join(response.streaming_content)
    (record,) = AuditRecord.objects.all()
    assert (record.action, record.actor, record.study_id) == (
        "export",
        world.school_admin,
        study.pk,
    )
    assert record.detail["format"] == fmt
    assert record.detail["datasets"] == ["entries", "events"]
    assert record.group is None


def test_a_refused_export_is_not_recorded(world, api, study):
    api.force_authenticate(world.colleague)  # a teacher of another group
    assert api.get(f"/api/studies/{study.pk}/export/").status_code == 404
    assert not AuditRecord.objects.exists()


def test_a_data_download_and_an_erasure_are_recorded(world, client):
    client.force_login(world.school_admin)
    noor = world.pupil
    response = client.get(reverse("frontend:pupil-data-download", args=[noor.pk]))
    assert response.status_code == 200
    (download,) = AuditRecord.objects.all()
    assert (download.action, download.group) == ("data_downloaded", world.group)
    response = client.post(reverse("frontend:pupil-erase", args=[noor.pk]), {"confirm": "Noor"})
    assert response.status_code == 302
    erased = AuditRecord.objects.get(action="pupil_erased")
    assert (erased.actor, erased.school, erased.group) == (
        world.school_admin,
        world.school,
        world.group,
    )
    # The download's record outlived her erasure unchanged.
    assert AuditRecord.objects.get(pk=download.pk).detail == download.detail
    for record in (download, erased):
        _names_no_pupil(record, noor)


def test_a_record_refuses_a_detail_that_would_name_a_pupil(world):
    with pytest.raises(ValueError):
        audit.record("export", actor=world.teacher, school=world.school, pupil=world.pupil.pk)
    with pytest.raises(ValueError):
        audit.record("looked", actor=world.teacher, school=world.school)


def test_only_the_schools_admins_read_its_audit_log(world):
    record = audit.record("export", actor=world.teacher, school=world.school, format="csv")
    readable = {
        persona: record in permissions.readable(world.user(persona), AuditRecord.objects.all())
        for persona in ("school_admin", "teacher", "colleague", "other_school_teacher", "pupil")
    }
    assert readable == {
        "school_admin": True,
        "teacher": False,
        "colleague": False,
        "other_school_teacher": False,
        "pupil": False,
    }
    assert not permissions.can_change(world.school_admin, record)
    assert not permissions.can_create(world.school_admin, AuditRecord, world.school)


def test_the_admin_shows_the_log_read_only_to_school_admins(world, client):
    record = audit.record("export", actor=world.teacher, school=world.school, format="csv")
    audit.record("export", actor=world.other_school_teacher, school=world.other_school)
    client.force_login(world.school_admin)
    page = client.get("/admin/classroom/auditrecord/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "juf.mirjam" in text and "juf.petra" not in text
    assert client.get(f"/admin/classroom/auditrecord/{record.pk}/change/").status_code == 200
    assert client.get("/admin/classroom/auditrecord/add/").status_code == 403
    response = client.post(f"/admin/classroom/auditrecord/{record.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert AuditRecord.objects.filter(pk=record.pk).exists()
    client.force_login(world.teacher)
    assert client.get("/admin/classroom/auditrecord/").status_code == 403
