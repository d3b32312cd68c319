"""Teachers from the school's administration (classroom/staff_roster.py, issue 21): a
staff file read whole, every bad row named with nothing changed, a plan that says who
gets an account, a place, a new name or other groups, or leaves; the same file twice
changing nothing; a new teacher choosing a password on their link and logging in."""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import translation

from classroom import actions, staff_roster
from classroom.models import AuditRecord, Membership, Role

User = get_user_model()

# As an Excel export writes it: a BOM, semicolons, Dutch column names, groups in one
# cell or a row each.
STAFF = (
    "\ufeffE-mailadres;Roepnaam;Tussenvoegsel;Achternaam;Groepen\r\n"
    "s.devries@delinde.nl;Sanne;de;Vries;Groep 6, 3\r\n"
    "J.Dekker@DeLinde.nl;Joost;;Dekker;3\r\n"
    "j.dekker@delinde.nl;Joost;;Dekker;6\r\n"
    "petra@hetanker.nl;Petra;;Smit;\r\n"
)


@pytest.fixture(autouse=True)
def dutch():
    with translation.override("nl"):
        yield


@pytest.fixture
def emails(world):
    """The colleague (added by hand) and the other school's teacher have addresses."""
    User.objects.filter(pk=world.colleague.pk).update(email="j.dekker@delinde.nl")
    User.objects.filter(pk=world.other_school_teacher.pk).update(email="Petra@HetAnker.nl")
    world.colleague.refresh_from_db()
    world.other_school_teacher.refresh_from_db()


def _import(world, text):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return actions.import_teachers(school=world.school, data=data, acting_user=world.school_admin)


def _state(world):
    memberships = sorted(
        Membership.objects.filter(school=world.school).values_list(
            "user__username", "role", "from_roster"
        )
    )
    teaching = sorted(
        (u.username, g.name) for g in world.school.groups.all() for u in g.teachers.all()
    )
    names = sorted(User.objects.values_list("username", "first_name", "last_name", "email"))
    return memberships, teaching, names


def test_a_staff_file_adds_links_and_places_teachers_in_their_groups(world, emails):
    plan = _import(world, STAFF)
    assert [c.email for c in plan.of("add")] == ["s.devries@delinde.nl"]
    assert [c.email for c in plan.of("link")] == ["j.dekker@delinde.nl"]
    assert [c.email for c in plan.of("join")] == ["petra@hetanker.nl"]
    sanne = User.objects.get(username="s.devries@delinde.nl")
    assert (sanne.first_name, sanne.last_name, sanne.email) == ("Sanne", "de Vries", sanne.username)
    assert not sanne.has_usable_password()  # she chooses it on her link
    assert set(sanne.taught_groups.all()) == {world.group, world.other_group}
    # Two rows of one teacher are one teacher with both groups; their account was linked.
    joost = world.colleague
    joost.refresh_from_db()
    assert (joost.first_name, joost.last_name) == ("Joost", "Dekker")
    assert set(joost.taught_groups.all()) == {world.group, world.other_group}
    # The other school's teacher gets a place here and keeps her own school.
    petra = world.other_school_teacher
    assert set(petra.memberships.values_list("school__name", "role")) == {
        ("OBS De Linde", Role.TEACHER),
        ("CBS Het Anker", Role.TEACHER),
    }
    assert set(petra.taught_groups.all()) == {world.foreign_group}
    # Who was not in the file is left as they were.
    assert set(world.teacher.taught_groups.all()) == {world.group}
    record = AuditRecord.objects.get(action="staff_imported")
    assert record.actor == world.school_admin
    assert record.detail["add"] == 1 and "Sanne" not in str(record.detail)


def test_the_same_file_twice_changes_nothing(world, emails):
    _import(world, STAFF)
    state = _state(world)
    records = AuditRecord.objects.count()
    plan = _import(world, STAFF)
    assert plan.empty and plan.unchanged == 3
    assert _state(world) == state
    assert AuditRecord.objects.count() == records


def test_a_teacher_no_longer_in_the_file_leaves_and_one_with_other_groups_moves(world, emails):
    _import(world, STAFF)
    later = STAFF.replace("s.devries@delinde.nl;Sanne;de;Vries;Groep 6, 3\r\n", "").replace(
        "j.dekker@delinde.nl;Joost;;Dekker;6\r\n", ""
    )
    plan = staff_roster.plan(world.school, staff_roster.parse(world.school, later.encode()))
    assert [c.email for c in plan.of("leave")] == ["s.devries@delinde.nl"]
    lines = [staff_roster.describe(c) for c in plan.of("groups")]
    assert lines == ["Joost Dekker <j.dekker@delinde.nl>: − Groep 6"]
    _import(world, later)
    sanne = User.objects.get(username="s.devries@delinde.nl")
    assert not sanne.memberships.exists() and not sanne.taught_groups.exists()
    assert set(world.colleague.taught_groups.all()) == {world.other_group}
    # The school admin and the teacher added by hand were never in a file: they stay.
    assert Membership.objects.filter(user=world.teacher, school=world.school).exists()
    assert Membership.objects.get(user=world.school_admin).role == Role.SCHOOL_ADMIN


def test_a_school_admin_in_the_file_keeps_the_role(world):
    User.objects.filter(pk=world.school_admin.pk).update(email="karin@delinde.nl")
    _import(world, "email;naam;groepen\nkarin@delinde.nl;Karin Mulder;6\n")
    membership = Membership.objects.get(user=world.school_admin, school=world.school)
    assert membership.role == Role.SCHOOL_ADMIN and membership.from_roster
    world.school_admin.refresh_from_db()
    assert (world.school_admin.first_name, world.school_admin.last_name) == ("Karin", "Mulder")
    # Leaving is for teachers only: a file without her leaves the admin in place.
    _import(world, "email;naam;groepen\nnew@delinde.nl;Nieuwe Juf;6\n")
    assert Membership.objects.filter(user=world.school_admin, school=world.school).exists()


BAD_FILES = [
    (
        "roepnaam;groepen\nSanne;6\n",
        [
            "Rij 1: ontbrekende kolom(men): email. Nodig: email (e-mailadres), first_name "
            "(roepnaam) or name (naam), groups (groepen)."
        ],
    ),
    (
        "email;roepnaam;groepen\nsanne-at-delinde;Sanne;6\n",
        ["Rij 2: 'sanne-at-delinde' is geen e-mailadres."],
    ),
    (
        "email;roepnaam;groepen\ns@delinde.nl;Sanne;6, 7B\n",
        ["Rij 2: groep '7B' bestaat niet op OBS De Linde (groepen: Groep 3, Groep 6)."],
    ),
    (
        "email;roepnaam;achternaam;groepen\ns@delinde.nl;Sanne;Vries;6\ns@delinde.nl;Sanne;Bos;3\n",
        ["Rij 3: s@delinde.nl staat ook in rij 2, met een andere naam."],
    ),
    (
        "email;roepnaam;groepen\ns@delinde.nl;;6\n;Tim;3\n",
        ["Rij 2: de naam is leeg.", "Rij 3: het e-mailadres is leeg."],
    ),
    (
        "email;roepnaam;groepen\njoëlle@delinde.nl;Joëlle;6\n".encode("latin-1"),
        ["Rij 2: het bestand is geen UTF-8. Sla het in Excel op als 'CSV UTF-8'."],
    ),
    ("email;roepnaam;groepen\n", ["Het bestand heeft geen leerkrachten."]),
]


@pytest.mark.parametrize("text, errors", BAD_FILES)
def test_every_bad_file_is_refused_with_its_rows_named_and_nothing_changed(world, text, errors):
    state = _state(world)
    with pytest.raises(staff_roster.RosterRefused) as refused:
        _import(world, text)
    assert refused.value.errors == errors
    assert _state(world) == state
    assert not AuditRecord.objects.filter(action="staff_imported").exists()


def test_addresses_that_do_not_lead_to_one_staff_account_are_refused(world):
    User.objects.filter(pk=world.teacher.pk).update(email="dubbel@delinde.nl")
    User.objects.filter(pk=world.colleague.pk).update(email="Dubbel@delinde.nl")
    User.objects.filter(pk=world.pupil.user.pk).update(email="kind@delinde.nl")
    User.objects.create_user(username="bezet@delinde.nl", email="iets@anders.nl")
    state = _state(world)
    text = (
        "email;roepnaam;groepen\n"
        "dubbel@delinde.nl;Mirjam;6\nkind@delinde.nl;Kind;6\nbezet@delinde.nl;Bea;6\n"
    )
    with pytest.raises(staff_roster.RosterRefused) as refused:
        _import(world, text)
    assert refused.value.errors == [
        "Rij 2: dubbel@delinde.nl hoort bij meer dan één account; vraag het de beheerder.",
        "Rij 3: kind@delinde.nl hoort bij het account van een leerling.",
        "Rij 4: de gebruikersnaam bezet@delinde.nl is al van een ander account.",
    ]
    assert _state(world) == state


def test_a_new_teacher_chooses_a_password_on_the_link_and_logs_in_with_the_address(world):
    _import(world, "email;naam;groepen\nsanne@delinde.nl;Sanne de Vries;6\n")
    sanne = User.objects.get(username="sanne@delinde.nl")
    assert staff_roster.without_password(world.school) == [sanne]
    admin = Client()
    admin.force_login(world.school_admin)
    page = admin.get(f"/leerkracht/school/{world.school.pk}/leerkrachten/importeren/")
    links = [item["link"] for item in page.context["waiting"]]
    assert len(links) == 1 and "/wachtwoord/" in links[0]

    client = Client()
    form = client.get(links[0], follow=True)
    assert form.context["validlink"]
    assert "Voor Sanne de Vries. Je logt in met sanne@delinde.nl." in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "lang en geheim 2026", "new_password2": "lang en geheim 2026"},
        follow=True,
    )
    assert "Je wachtwoord is ingesteld" in done.content.decode()
    assert staff_roster.without_password(world.school) == []
    login = client.post(
        "/login/", {"username": " Sanne@DeLinde.nl", "password": "lang en geheim 2026"}
    )
    assert login.status_code == 302 and client.session["_auth_user_id"] == str(sanne.pk)
    # The link worked once.
    again = Client().get(links[0], follow=True)
    assert not again.context["validlink"]
    assert "Deze link werkt niet meer" in again.content.decode()


def test_the_page_previews_then_applies(world):
    admin = Client()
    admin.force_login(world.school_admin)
    url = f"/leerkracht/school/{world.school.pk}/leerkrachten/importeren/"
    text = "email;naam;groepen\nsanne@delinde.nl;Sanne de Vries;6\n"

    upload = SimpleUploadedFile("leerkrachten.csv", text.encode(), content_type="text/csv")
    preview = admin.post(url, {"file": upload})
    assert preview.status_code == 200
    assert "Sanne de Vries &lt;sanne@delinde.nl&gt;: + Groep 6" in preview.content.decode()
    assert not User.objects.filter(username="sanne@delinde.nl").exists()
    done = admin.post(url, {"confirm": "1", "text": text}, follow=True)
    assert "Verwerkt: 1 nieuwe accounts" in done.content.decode()
    assert User.objects.filter(username="sanne@delinde.nl").exists()


def test_the_command_previews_then_applies(world, tmp_path, capsys):
    path = tmp_path / "leerkrachten.csv"
    path.write_text("email;naam;groepen\nsanne@delinde.nl;Sanne de Vries;6\n")
    call_command("import_teachers", str(world.school.pk), str(path))
    assert "Sanne de Vries <sanne@delinde.nl>: + Groep 6" in capsys.readouterr().out
    assert not User.objects.filter(username="sanne@delinde.nl").exists()
    call_command("import_teachers", "OBS De Linde", str(path), "--apply")
    assert User.objects.filter(username="sanne@delinde.nl").exists()
    path.write_text("email;groepen\nx@y.nl;6\n")
    with pytest.raises(CommandError, match="first_name"):
        call_command("import_teachers", str(world.school.pk), str(path), "--apply")
