"""Pupils from the school's administration (classroom/roster.py, issue 21): a ParnasSys
export read whole, every bad row named with nothing changed, a plan that says who is
added, moved, renamed, back or gone, applied in one transaction, and the same file twice
changing nothing."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from classroom import actions, roster
from classroom.models import AuditRecord, Pupil

# As ParnasSys writes it from Excel: a BOM, semicolons, Dutch column names.
PARNASSYS = (
    "\ufeffLeerlingnummer;Roepnaam;Tussenvoegsel;Achternaam;Groep\r\n"
    "4711;Noor;;Bakker;6\r\n"
    "4712;Daan;van den;Berg;Groep 6\r\n"
    "4713;Fatima;el;Amrani;6\r\n"
    "4714;Sem;;Jansen;3\r\n"
    "4715;Zoë;;Visser;Groep 3\r\n"
)


@pytest.fixture(autouse=True)
def dutch():
    """The school admin reads Dutch."""
    with translation.override("nl"):
        yield


# The same export saved as Windows' Latin-1: "Zoë" in row 6 is not UTF-8.
LATIN_1 = PARNASSYS.replace("\ufeff", "").encode("latin-1")


def _import(world, text, names=roster.DEFAULT_NAME_FORMAT):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return actions.import_roster(
        school=world.school, data=data, name_format=names, acting_user=world.school_admin
    )


def _state(world):
    return sorted(
        Pupil.objects.filter(group__school=world.school).values_list(
            "display_name", "group__name", "active", "avatar", "avatar_colour", "picture_code"
        )
    )


def test_a_parnassys_export_links_the_pupils_added_by_hand_and_adds_the_rest(world):
    before = {p.pk: (p.avatar, p.picture_code) for p in world.group.pupils.all()}
    plan = _import(world, PARNASSYS)
    assert plan.counts["add"] == 2  # Fatima, Zoë; Noor, Daan and Sem were added by hand
    assert {c.name for c in plan.of("link")} == {"Noor", "Daan", "Sem"}
    fatima = Pupil.objects.get(display_name="Fatima")
    zoe = Pupil.objects.get(display_name="Zoë")
    assert (fatima.group, zoe.group) == (world.group, world.other_group)
    # New pupils get a picture and colour of their own and a picture code (login cards).
    pairs = list(world.group.pupils.values_list("avatar", "avatar_colour"))
    assert len(pairs) == len(set(pairs))
    assert len(fatima.code_sequence) == world.group.picture_code_length
    # Linked pupils keep their pictures and codes.
    for pupil in world.group.pupils.filter(pk__in=before):
        assert (pupil.avatar, pupil.picture_code) == before[pupil.pk]
    # The number itself is not stored: a digest under the school's own secret.
    keys = set(Pupil.objects.exclude(roster_key="").values_list("roster_key", flat=True))
    # (A hex digest may hold "471" by chance: the check is that it is the digest.)
    world.school.refresh_from_db()  # its secret, made by the first import
    numbers = ["4711", "4712", "4713", "4714", "4715"]
    assert keys == {roster.digest(world.school, n) for n in numbers}
    assert all(re.fullmatch(r"[0-9a-f]{64}", key) for key in keys) and keys.isdisjoint(numbers)
    record = AuditRecord.objects.get(action="roster_imported")
    assert record.actor == world.school_admin
    assert "Fatima" not in str(record.detail) and "4713" not in str(record.detail)


def test_the_same_file_twice_changes_nothing(world):
    _import(world, PARNASSYS)
    state = _state(world)
    records = AuditRecord.objects.count()
    plan = _import(world, PARNASSYS)
    assert plan.empty and plan.unchanged == 5
    assert _state(world) == state
    assert AuditRecord.objects.count() == records  # nothing happened, nothing recorded


def test_a_new_file_moves_renames_and_says_goodbye(world):
    _import(world, PARNASSYS)
    moved = PARNASSYS.replace("4711;Noor;;Bakker;6", "4711;Noor;;Bakker;3").replace(
        "4712;Daan;van den;Berg", "4712;Daniël;van den;Berg"
    )
    without_fatima = "\r\n".join(line for line in moved.split("\r\n") if "4713" not in line)
    plan = roster.plan(world.school, roster.parse(world.school, without_fatima.encode()))
    assert {c.name for c in plan.of("move")} == {"Noor"}
    assert [(c.old_name, c.name) for c in plan.of("rename")] == [("Daan", "Daniël")]
    assert [c.name for c in plan.of("leave")] == ["Fatima"]
    assert "Groep 6 → Groep 3" in roster.describe(plan.of("move")[0])
    noor_pk = world.pupil.pk
    _import(world, without_fatima)
    noor = Pupil.objects.get(pk=noor_pk)
    assert noor.group == world.other_group and noor.active  # the same pupil, her data kept
    assert Pupil.objects.get(pk=world.classmate.pk).display_name == "Daniël"
    fatima = Pupil.objects.get(display_name="Fatima")
    assert not fatima.active  # kept (retention), off the class's login screen
    # She comes back: the same record, active again.
    plan = _import(world, PARNASSYS.replace("4711;Noor;;Bakker;6", "4711;Noor;;Bakker;3"))
    assert [c.name for c in plan.of("back")] == ["Fatima"]
    assert Pupil.objects.get(pk=fatima.pk).active


def test_pupils_of_groups_the_file_does_not_list_are_left_alone(world):
    _import(world, PARNASSYS)
    lines = PARNASSYS.split("\r\n")
    only_groep_6 = "\r\n".join(line for line in lines if not line.endswith("3"))
    plan = roster.plan(world.school, roster.parse(world.school, only_groep_6.encode()))
    assert not plan.of("leave")  # Sem and Zoë are in groep 3, which the file does not list


def test_names_as_the_school_wants_them_shown(world):
    two_noors = PARNASSYS + "4716;Noor;de;Vries;6\r\n"
    rows = roster.parse(world.school, two_noors.encode())
    names = {row.key: row.name for row in rows}
    assert names["4711"] == "Noor B." and names["4716"] == "Noor V."  # two Noors in groep 6
    assert names["4713"] == "Fatima"
    full = {r.key: r.name for r in roster.parse(world.school, PARNASSYS.encode(), "full")}
    assert full["4712"] == "Daan van den Berg"
    initials = roster.parse(world.school, PARNASSYS.encode(), "first_initial")
    assert {r.key: r.name for r in initials}["4712"] == "Daan B."
    generic = "key,display_name,group\nA1,Juf's hulpje Mo,Groep 6\n"
    assert roster.parse(world.school, generic.encode())[0].name == "Juf's hulpje Mo"


@pytest.mark.parametrize(
    "text, message",
    [
        ("Roepnaam;Achternaam;Groep\r\nNoor;Bakker;6\r\n", "Rij 1: ontbrekende kolom(men): key"),
        (PARNASSYS + "4711;Noortje;;Bakker;6\r\n", "Rij 7: leerlingnummer 4711 staat ook in rij 2"),
        (PARNASSYS + "4720;Lieke;;Smit;7B\r\n", "Rij 7: groep '7B' bestaat niet op OBS De Linde"),
        (PARNASSYS + "4721;;;Smit;6\r\n", "Rij 7: de naam is leeg"),
        (PARNASSYS + ";Lieke;;Smit;6\r\n", "Rij 7: het leerlingnummer is leeg"),
        (
            PARNASSYS.encode("utf-8")[:-40] + "Zo\xeb".encode("latin-1") + b";;V;3\r\n",
            "is geen UTF-8",
        ),
        ('key;first_name;group\r\n1;"Noor;6\r\n', "Rij 2: deze rij is niet te lezen"),
        ("", "Het bestand is leeg"),
        ("key;first_name;group\r\n", "Het bestand bevat geen leerlingen"),
    ],
    ids=[
        "missing-column",
        "duplicate-key",
        "unknown-group",
        "empty-name",
        "empty-key",
        "wrong-encoding",
        "broken-quote",
        "empty-file",
        "no-pupils",
    ],
)
def test_every_bad_input_is_named_and_changes_nothing(world, text, message):
    _import(world, PARNASSYS)
    state = _state(world)
    records = AuditRecord.objects.count()
    with pytest.raises(roster.RosterRefused) as refused:
        _import(world, text)
    assert any(message in error for error in refused.value.errors), refused.value.errors
    assert _state(world) == state
    assert AuditRecord.objects.count() == records


def test_every_bad_row_is_named_at_once(world):
    text = PARNASSYS + "4720;Lieke;;Smit;7B\r\n4721;;;Smit;6\r\n"
    with pytest.raises(roster.RosterRefused) as refused:
        roster.parse(world.school, text.encode())
    assert [e.split(":")[0] for e in refused.value.errors] == ["Rij 7", "Rij 8"]


def test_a_group_of_another_school_is_not_found(world):
    text = "key;first_name;group\r\n9;Lotte;Groep 6b\r\n"  # CBS Het Anker's group
    with pytest.raises(roster.RosterRefused):
        roster.parse(world.school, text.encode())


def test_the_command_previews_and_applies(world, capsys, tmp_path):
    path = tmp_path / "leerlingen.csv"
    path.write_bytes(PARNASSYS.encode("utf-8"))
    User = get_user_model()
    users = User.objects.count()
    call_command("import_pupils", str(world.school.pk), str(path))
    out = capsys.readouterr().out
    assert "Fatima (Groep 6)" in out and "--apply" in out
    assert User.objects.count() == users  # a preview writes nothing
    call_command("import_pupils", world.school.name, str(path), "--apply")
    assert Pupil.objects.filter(display_name="Fatima").exists()
    capsys.readouterr()
    call_command("import_pupils", str(world.school.pk), str(path), "--apply")
    assert "Nothing to change." in capsys.readouterr().out
    bad = tmp_path / "fout.csv"
    bad.write_bytes(b"key;first_name;group\r\n1;Mo;9Z\r\n")
    with pytest.raises(CommandError, match="9Z"):
        call_command("import_pupils", str(world.school.pk), str(bad), "--apply")


def test_digests_differ_between_schools_and_find_the_same_number_again(world):
    roster.ensure_secret(world.school)
    roster.ensure_secret(world.other_school)
    assert roster.digest(world.school, "4711") == roster.digest(world.school, " 4711 ")
    assert roster.digest(world.school, "4711") != roster.digest(world.other_school, "4711")
