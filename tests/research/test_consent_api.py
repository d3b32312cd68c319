"""Consent through the API: posting again for the same study and pupil changes it (given,
refused, unknown), and every export made after a withdrawal leaves the pupil out."""

import io
import json
import zipfile

import pytest

from classroom import actions as classroom_actions
from logbook import entries
from research import actions
from research.exports import Export, Pseudonyms
from research.models import Consent, Dataset
from tests.conftest import block_study

OTHERS = ["Pim", "Fenna", "Joep", "Lieke"]


@pytest.fixture
def study(world):
    """A study of Noor's group with four more consenting classmates, so that the group
    stays above the minimum cell size when Noor withdraws; everyone has an entry."""
    study = block_study(world, [Dataset.ENTRIES, Dataset.EVENTS])
    for name in OTHERS:
        pupil = classroom_actions.create_pupil(group=world.group, display_name=name)
        entries.choose(pupil=pupil, lesson=world.lesson, aspect="goal", value=[world.goal.pk])
        actions.set_consent(study=study, pupil=pupil, status="given", acting_user=world.teacher)
    entries.choose(pupil=world.classmate, lesson=world.lesson, aspect="goal", value=[world.goal.pk])
    actions.set_consent(
        study=study, pupil=world.classmate, status="given", acting_user=world.teacher
    )
    return study


def _post(api, study, pupil, status):
    return api.post(
        "/api/consents/", {"study": study.pk, "pupil": pupil.pk, "status": status}, format="json"
    )


def _exported(study) -> set[str]:
    return {row["pupil"] for row in Export(study).rows("entries")}


@pytest.mark.parametrize("persona", ["teacher", "school_admin"])
def test_consent_is_given_refused_and_unknown_through_the_api(world, api, study, persona):
    api.force_authenticate(world.user(persona))
    noor = Pseudonyms(study.pseudonym_key)("pupil", world.pupil.pk)

    response = _post(api, study, world.pupil, "given")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "given"
    assert noor in _exported(study)

    for status in ("refused", "unknown"):
        response = _post(api, study, world.pupil, status)
        assert response.status_code == 200, response.content  # an upsert, not "unique set"
        assert response.json()["status"] == status
        (consent,) = Consent.objects.filter(study=study, pupil=world.pupil)
        assert consent.status == status and consent.set_by == world.user(persona)
        assert response.json()["id"] == consent.pk
        exported = _exported(study)
        assert noor not in exported and len(exported) == len(OTHERS) + 1


def test_an_export_after_a_withdrawal_through_the_api_leaves_the_pupil_out(world, api, study):
    api.force_authenticate(world.teacher)
    assert _post(api, study, world.pupil, "given").status_code == 200
    assert _post(api, study, world.pupil, "refused").status_code == 200
    api.force_authenticate(world.school_admin)
    response = api.get(f"/api/studies/{study.pk}/export/?fmt=jsonl")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    rows = [json.loads(line) for line in archive.read("entries.jsonl").splitlines() if line]
    pseudonym = Pseudonyms(study.pseudonym_key)
    assert pseudonym("pupil", world.classmate.pk) in {row["pupil"] for row in rows}
    everything = b"".join(archive.read(name) for name in archive.namelist())
    assert pseudonym("pupil", world.pupil.pk).encode() not in everything


def test_an_invalid_status_or_a_pupil_outside_the_study_is_still_refused(world, api, study):
    api.force_authenticate(world.school_admin)
    assert _post(api, study, world.pupil, "maybe").status_code == 400
    response = _post(api, study, world.other_pupil, "given")  # Groep 3 is not in it
    assert response.status_code == 400
    assert not Consent.objects.filter(pupil=world.other_pupil).exists()
