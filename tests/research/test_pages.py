"""The research and design-team pages as their users use them (in Dutch), and the
export_study command."""

import csv
import io
import zipfile
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from classroom import actions as classroom_actions
from logbook import entries
from research import actions
from research.models import Consent, Intervention, Observation, Study
from tests.conftest import block_study

pytestmark = pytest.mark.usefixtures("dutch")


@pytest.fixture
def dutch(settings):
    settings.LANGUAGE_CODE = "nl"


@pytest.fixture
def researcher(db):
    return get_user_model().objects.create_user("dr.onderzoek", password="correct horse 42")


def _study_post(world, **changes):
    start = world.block.start_date
    return {
        "school": world.school.pk,
        "title": "Regie in groep 6",
        "description": "Kiezen leerlingen vaker zelf?",
        "groups": [world.group.pk],
        "start_date": start.isoformat(),
        "end_date": (start + timedelta(days=90)).isoformat(),
        "datasets": ["events", "entries"],
        "coarsen_to_day": "on",
        # The world's class is two pupils: every group counts here (test_anonymity.py
        # tests the minimum group size).
        "min_cell_size": "1",
        "researchers": "dr.onderzoek",
        **changes,
    }


def test_an_admin_sets_up_a_study_and_its_researcher_exports_it(world, client, researcher):
    client.force_login(world.school_admin)
    response = client.post("/onderzoek/studie/nieuw/", _study_post(world), follow=True)
    assert "De studie is bewaard." in response.content.decode()
    study = Study.objects.get()
    assert list(study.researchers.all()) == [researcher]

    # The teacher records consent for the class.
    client.force_login(world.teacher)
    page = client.get(f"/onderzoek/studie/{study.pk}/").content.decode()
    assert 'data-testid="consent-form"' in page and 'data-testid="export-csv"' not in page
    response = client.post(
        f"/onderzoek/studie/{study.pk}/toestemming/",
        {f"consent-{world.pupil.pk}": "given", f"consent-{world.classmate.pk}": "refused"},
        follow=True,
    )
    assert "Toestemming bewaard voor 2 leerlingen." in response.content.decode()
    assert Consent.objects.get(pupil=world.pupil).set_by == world.teacher

    # The researcher logs in, lands on the research page and downloads the export.
    client.force_login(researcher)
    assert client.get("/", follow=True).redirect_chain[-1][0] == "/onderzoek/"
    page = client.get(f"/onderzoek/studie/{study.pk}/").content.decode()
    assert 'data-testid="consent-form"' not in page  # no pupils for researchers
    assert "Noor" not in page and "Daan" not in page
    # No typed group name either: the years only.
    assert world.group.name not in page.split('data-testid="study-groups">')[1][:200]
    assert "groep 6" in page.split('data-testid="study-groups">')[1][:200]
    response = client.get(f"/onderzoek/studie/{study.pk}/export/csv/")
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert sorted(archive.namelist()) == [
        "README.md",
        "codebook.csv",
        "entries.csv",
        "events.csv",
        "labels.csv",
    ]
    entries = list(csv.DictReader(io.StringIO(archive.read("entries.csv").decode())))
    assert len(entries) == 1  # Noor's; Daan refused
    assert client.get(f"/leerkracht/groep/{world.group.pk}/").status_code == 403


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"end_date": "2020-01-01"}, "De einddatum kan niet voor de begindatum liggen."),
        ({"researchers": "dr.bestaatniet"}, "Geen account met gebruikersnaam: dr.bestaatniet"),
        ({"groups": [999999]}, "Selecteer een geldige keuze"),
        ({"datasets": []}, "Dit veld is vereist."),
    ],
)
def test_a_bad_study_form_says_why_and_saves_nothing(world, client, researcher, changes, message):
    client.force_login(world.school_admin)
    response = client.post("/onderzoek/studie/nieuw/", _study_post(world, **changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Study.objects.exists()


def test_a_design_team_pilots_an_intervention(world, client):
    client.force_login(world.teacher)
    start = world.block.start_date
    response = client.post(
        "/ontwerpteam/nieuw/",
        {
            "school": world.school.pk,
            "title": "Kiezen met een keuzebord",
            "practice_question": "Hoe krijgen leerlingen meer regie over hun rekenwerk?",
            "working_hypothesis": "Met een keuzebord kiezen leerlingen vaker zelf.",
            "design_requirements": "Past in een rekenles van 45 minuten.",
            "groups": [world.group.pk],
            "members": [world.teacher.pk, world.colleague.pk],
            "start_date": start.isoformat(),
            "end_date": (start + timedelta(days=90)).isoformat(),
        },
        follow=True,
    )
    assert "De interventie is bewaard." in response.content.decode()
    intervention = Intervention.objects.get()
    assert set(intervention.members.all()) == {world.teacher, world.colleague}
    entries.choose(pupil=world.classmate, lesson=world.lesson, aspect="place", value=world.place.pk)
    later = classroom_actions.create_lesson(
        group=world.group, title="Keuzebord week 2", date=start + timedelta(days=7)
    )
    classroom_actions.start_lesson(later, acting_user=world.teacher)
    for lesson, phase in ((world.lesson, "beoogd"), (later, "werkelijk")):
        client.post(f"/ontwerpteam/{intervention.pk}/les/", {"lesson": lesson.pk, "phase": phase})
    client.post(
        f"/ontwerpteam/{intervention.pk}/observatie/",
        {"date": start.isoformat(), "text": "Veel leerlingen kozen de instructie."},
    )
    page = client.get(f"/ontwerpteam/{intervention.pk}/").content.decode()
    assert "Hoe krijgen leerlingen meer regie over hun rekenwerk?" in page
    assert "Veel leerlingen kozen de instructie." in page
    assert Observation.objects.get().author == world.teacher
    beoogd = page[
        page.index('data-testid="phase-beoogd"') : page.index('data-testid="phase-ervaren"')
    ]
    werkelijk = page[page.index('data-testid="phase-werkelijk"') :]
    assert "Breuken" in beoogd and "Keuzebord week 2" not in beoogd
    assert "Keuzebord week 2" in werkelijk
    assert 'data-testid="trajectory-dot"' in beoogd  # two pupils' entries: an enacted dot


def test_a_lesson_of_another_group_cannot_be_linked(world, client):
    intervention = actions.save_intervention(
        None,
        school=world.school,
        title="Keuzebord",
        groups=[world.group],
        start_date=world.block.start_date,
        end_date=world.block.end_date,
        members=[world.teacher],
    )
    client.force_login(world.school_admin)
    page = client.post(
        f"/ontwerpteam/{intervention.pk}/les/",
        {"lesson": world.other_lesson.pk, "phase": "beoogd"},
        follow=True,
    ).content.decode()
    assert "Selecteer een geldige keuze" in page
    assert not intervention.lesson_links.exists()


def test_erasing_needs_the_pupils_exact_name(world, client):
    client.force_login(world.school_admin)
    url = f"/leerkracht/leerling/{world.classmate.pk}/gegevens/"
    assert "Alles wat over Daan is opgeslagen" in client.get(url).content.decode()
    download = client.get(url + "download/")
    assert "pupil.json" in zipfile.ZipFile(io.BytesIO(download.content)).namelist()
    page = client.post(url + "wissen/", {"confirm": "daan"}, follow=True).content.decode()
    assert "Typ de naam van de leerling precies" in page
    assert type(world.classmate).objects.filter(pk=world.classmate.pk).exists()
    page = client.post(url + "wissen/", {"confirm": "Daan"}, follow=True).content.decode()
    assert "Daan en alle gegevens zijn gewist." in page
    assert not type(world.classmate).objects.filter(pk=world.classmate.pk).exists()


def test_the_export_study_command(world, tmp_path):
    study = block_study(world, ["events", "quadrant"], min_cell_size=1)
    actions.set_consent(study=study, pupil=world.pupil, status="given", acting_user=world.teacher)
    out = tmp_path / "export.zip"
    call_command("export_study", str(study.pk), "--format", "jsonl", "--output", str(out))
    names = zipfile.ZipFile(out).namelist()
    assert out.stat().st_mode & 0o777 == 0o600
    assert sorted(names) == [
        "README.md",
        "codebook.csv",
        "events.jsonl",
        "labels.csv",
        "quadrant.jsonl",
    ]
    events = tmp_path / "events.csv"
    call_command("export_study", str(study.pk), "--dataset", "events", "--output", str(events))
    rows = list(csv.DictReader(events.open()))
    assert rows and {r["verb"] for r in rows} >= {"logbook_chosen"}
    with pytest.raises(CommandError, match="does not include entries"):
        call_command("export_study", str(study.pk), "--dataset", "entries")
    with pytest.raises(CommandError, match="No study"):
        call_command("export_study", "999999")


def test_a_teacher_cannot_put_a_group_she_does_not_teach_in_an_intervention(world, client):
    """Meester Joost teaches groep 3, not groep 6: he cannot start an intervention over
    groep 6 and so see and link its lessons (issue 18)."""
    client.force_login(world.colleague)
    start = world.block.start_date
    form = {
        "school": world.school.pk,
        "title": "Keuzebord",
        "members": [world.colleague.pk],
        "start_date": start.isoformat(),
        "end_date": (start + timedelta(days=90)).isoformat(),
    }
    page = client.get("/ontwerpteam/nieuw/").content.decode()
    assert f'name="groups" value="{world.other_group.pk}"' in page
    assert f'name="groups" value="{world.group.pk}"' not in page
    page = client.post(
        "/ontwerpteam/nieuw/", {**form, "groups": [world.group.pk]}, follow=True
    ).content.decode()
    assert "Selecteer een geldige keuze" in page
    assert not Intervention.objects.exists()
    client.post("/ontwerpteam/nieuw/", {**form, "groups": [world.other_group.pk]})
    assert list(Intervention.objects.get().groups.all()) == [world.other_group]


def test_only_the_lessons_of_groups_one_teaches_are_offered_for_linking(world, client):
    """An intervention over two groups (the admin set it up): each teacher links only her
    own group's lessons; saving it unchanged keeps both groups."""
    intervention = actions.save_intervention(
        None,
        school=world.school,
        title="Keuzebord",
        groups=[world.group, world.other_group],
        start_date=world.block.start_date,
        end_date=world.block.end_date,
        members=[world.teacher, world.colleague],
    )
    client.force_login(world.colleague)
    page = client.get(f"/ontwerpteam/{intervention.pk}/").content.decode()
    assert f'<option value="{world.other_lesson.pk}"' in page
    assert f'<option value="{world.lesson.pk}"' not in page
    client.post(
        f"/ontwerpteam/{intervention.pk}/les/", {"lesson": world.lesson.pk, "phase": "beoogd"}
    )
    assert not intervention.lesson_links.exists()
    client.post(
        f"/ontwerpteam/{intervention.pk}/les/", {"lesson": world.other_lesson.pk, "phase": "beoogd"}
    )
    assert [link.lesson for link in intervention.lesson_links.all()] == [world.other_lesson]
    page = client.get(f"/ontwerpteam/{intervention.pk}/bewerken/").content.decode()
    assert f'name="groups" value="{world.group.pk}"' in page  # already in: kept


def test_a_researcher_on_the_design_team_reads_observations_without_names(
    world, client, researcher
):
    """The team's log names pupils and a teacher; a researcher outside the school reads
    it as an export gives it, the school's teacher reads it as written."""
    intervention = actions.save_intervention(
        None,
        school=world.school,
        title="Keuzebord",
        groups=[world.group],
        start_date=world.block.start_date,
        end_date=world.block.end_date,
        members=[world.teacher, researcher],
    )
    actions.add_observation(
        intervention=intervention,
        acting_user=world.teacher,
        date=world.block.start_date,
        text=f"Noor koos zelf, Daan wachtte op {world.teacher.username} bij de Stiltehoek.",
    )
    client.force_login(researcher)
    page = client.get(f"/ontwerpteam/{intervention.pk}/").content.decode()
    assert "[leerling] koos zelf, [leerling] wachtte op [leerkracht] bij de [plek]." in page
    assert "Noor" not in page and "Daan" not in page
    client.force_login(world.teacher)
    page = client.get(f"/ontwerpteam/{intervention.pk}/").content.decode()
    assert f"Noor koos zelf, Daan wachtte op {world.teacher.username} bij de" in page
