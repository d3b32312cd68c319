"""Every edit form in the app saves unchanged without losing anything (issue 16): the
form is submitted exactly as the page shows it, and every row and relation it edits is
the same afterwards. Dates render as ISO, pickers include whoever is already chosen."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.forms.models import model_to_dict
from django.utils import timezone

from classroom import actions
from research import actions as research_actions
from research.models import Consent, ConsentStatus, Dataset
from tests.forms import submitted_as_shown

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def extend_world():
    def extend(world):
        world.researcher = get_user_model().objects.create_user("dr.onderzoek", password="x" * 12)
        world.study = research_actions.save_study(
            None,
            school=world.school,
            title="Regie in groep 6",
            description="Kiezen leerlingen vaker zelf?\nEen tweede regel.",
            groups=[world.group],
            start_date=world.block.start_date,
            end_date=world.block.end_date,
            datasets=[Dataset.EVENTS, Dataset.ENTRIES],
            include_free_text=True,
            coarsen_to_day=False,
            researchers=[world.researcher],
        )
        research_actions.set_consent(
            study=world.study,
            pupil=world.pupil,
            status=ConsentStatus.GIVEN,
            acting_user=world.teacher,
        )
        # A design team with a researcher from outside the school on it.
        world.intervention = research_actions.save_intervention(
            None,
            school=world.school,
            title="Keuzebord",
            practice_question="Hoe krijgen leerlingen meer regie?",
            working_hypothesis="Met een keuzebord kiezen ze vaker zelf.",
            design_requirements="Past in 45 minuten.",
            groups=[world.group],
            start_date=world.block.start_date,
            end_date=world.block.end_date,
            members=[world.teacher, world.researcher],
        )
        world.planned = actions.create_lesson(
            group=world.group,
            title="Herhaling",
            subject="spelling",
            date=timezone.localdate() + timedelta(days=3),
            goal_openness="free",
            order_openness="choice",
            fixed_instruction=True,
            differentiation="individual",
            goals=[world.goal],
            places=[world.place],
        )

    return extend


def snapshot(obj, *relations):
    obj = type(obj).objects.get(pk=obj.pk)
    row = model_to_dict(obj)
    for name in relations:
        row[name] = sorted(getattr(obj, name).values_list("pk", flat=True))
    return row


def save_unchanged(client, url, testid, post_url=None):
    page = client.get(url)
    assert page.status_code == 200
    data = submitted_as_shown(page.content.decode(), testid)
    return data, client.post(post_url or url, data)


def test_a_study_saved_unchanged_keeps_every_field(world, client):
    client.force_login(world.school_admin)
    before = snapshot(world.study, "groups", "researchers")
    data, response = save_unchanged(
        client, f"/onderzoek/studie/{world.study.pk}/bewerken/", "study-form"
    )
    assert data["start_date"] == [world.block.start_date.isoformat()]
    assert response.status_code == 302, response.content.decode()[:2000]
    assert snapshot(world.study, "groups", "researchers") == before


def test_an_intervention_saved_unchanged_keeps_every_field_and_member(world, client):
    client.force_login(world.teacher)
    before = snapshot(world.intervention, "groups", "members")
    data, response = save_unchanged(
        client, f"/ontwerpteam/{world.intervention.pk}/bewerken/", "intervention-form"
    )
    assert str(world.researcher.pk) in data["members"]
    assert data["end_date"] == [world.block.end_date.isoformat()]
    assert response.status_code == 302, response.content.decode()[:2000]
    after = snapshot(world.intervention, "groups", "members")
    assert after == before
    assert world.researcher.pk in after["members"]


def test_a_planned_lesson_saved_unchanged_keeps_every_field(world, client):
    client.force_login(world.teacher)
    before = snapshot(world.planned, "place_options", "goal_options")
    data, response = save_unchanged(
        client, f"/leerkracht/les/{world.planned.pk}/bewerken/", "lesson-form"
    )
    assert data["date"] == [world.planned.date.isoformat()]
    assert response.status_code == 302, response.content.decode()[:2000]
    assert snapshot(world.planned, "place_options", "goal_options") == before


def test_the_dashboards_settings_saved_unchanged_keep_every_field(world, client):
    client.force_login(world.teacher)
    before = snapshot(world.lesson, "place_options", "goal_options")
    _, response = save_unchanged(
        client,
        f"/leerkracht/les/{world.lesson.pk}/",
        "settings-form",
        post_url=f"/leerkracht/les/{world.lesson.pk}/instellingen/",
    )
    assert response.status_code == 302
    assert snapshot(world.lesson, "place_options", "goal_options") == before


def test_consent_saved_unchanged_keeps_every_pupils_consent(world, client):
    client.force_login(world.teacher)
    before = sorted(Consent.objects.filter(study=world.study).values_list("pupil", "status"))
    _, response = save_unchanged(
        client,
        f"/onderzoek/studie/{world.study.pk}/",
        "consent-form",
        post_url=f"/onderzoek/studie/{world.study.pk}/toestemming/",
    )
    assert response.status_code == 302
    after = sorted(Consent.objects.filter(study=world.study).values_list("pupil", "status"))
    assert after == before


def levels_of(goal):
    return list(goal.levels.values_list("position", "descriptor", "icon"))


def test_a_block_saved_unchanged_keeps_its_name_and_dates(world, client):
    client.force_login(world.teacher)
    before = snapshot(world.block)
    data, response = save_unchanged(
        client, f"/leerkracht/blok/{world.block.pk}/doelen/", "block-edit-form"
    )
    assert data["start_date"] == [world.block.start_date.isoformat()]
    assert response.status_code == 302, response.content.decode()[:2000]
    assert snapshot(world.block) == before


def test_a_goal_saved_unchanged_keeps_its_words_picture_and_rubric(world, client):
    from goals import actions as goal_actions

    goal_actions.update_goal(
        world.goal,
        strand=world.goal.strand,
        code=world.goal.code,
        statement=world.goal.statement,
        description="Met breukenstokken.\nEn op de getallenlijn.",
        pictogram="star",
        levels=[d for _p, d, _i in levels_of(world.goal)],
    )
    client.force_login(world.teacher)
    before = snapshot(world.goal), levels_of(world.goal)
    data, response = save_unchanged(
        client, f"/leerkracht/doel/{world.goal.pk}/bewerken/", "goal-form"
    )
    assert data["pictogram"] == ["star"] and data["strand"] == ["Verhoudingen"]
    assert response.status_code == 302, response.content.decode()[:2000]
    assert (snapshot(world.goal), levels_of(world.goal)) == before


def test_a_place_saved_unchanged_keeps_its_picture_and_capacity(world, client):
    client.force_login(world.teacher)
    before = snapshot(world.place)
    _, response = save_unchanged(
        client, f"/leerkracht/werkplek/{world.place.pk}/bewerken/", "place-form"
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert snapshot(world.place) == before


def test_an_activity_saved_unchanged_keeps_its_goals_and_photo(world, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from planboard import actions as planboard_actions
    from tests.images import jpeg_bytes

    planboard_actions.update_activity(world.activity, goals=[world.goal])
    planboard_actions.set_activity_photo(
        world.activity, SimpleUploadedFile("hoek.jpg", jpeg_bytes(), "image/jpeg")
    )
    client.force_login(world.teacher)
    before = snapshot(world.activity, "goals")
    data, response = save_unchanged(
        client, f"/leerkracht/activiteit/{world.activity.pk}/bewerken/", "activity-form"
    )
    assert data["goals"] == [str(world.goal.pk)] and data["active"] == ["on"]
    assert response.status_code == 302, response.content.decode()[:2000]
    assert snapshot(world.activity, "goals") == before
