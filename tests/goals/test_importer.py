"""Importing goals from CSV: all rows or nothing, with errors that name the row."""

from datetime import date
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from goals import actions
from goals.importer import ImportFailed, import_goals
from goals.models import Goal, RubricLevel, Strand

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
HEADER = "strand,block,code,statement,description,level_1,level_2,level_3,level_4\n"
GOOD_ROW = "Getallen,Rekenen blok 3,G6-9.1,Ik kan tellen.,Tellen tot 100,a,b,c,d\n"


@pytest.fixture
def group5(world):
    group = world.group
    for name in ("Rekenen blok 2", "Rekenen blok 3"):
        if not group.blocks.filter(name=name).exists():
            actions.create_block(
                group=group, name=name, start_date=date(2026, 9, 1), end_date=date(2026, 12, 20)
            )
    return group


def state():
    return (Goal.objects.count(), RubricLevel.objects.count(), Strand.objects.count())


def test_the_groep_5_example_imports_with_dutch_columns_and_semicolons(group5):
    goals = import_goals(group5, (EXAMPLES / "doelen-groep5-rekenen.csv").read_bytes())
    assert len(goals) == 10
    first = Goal.objects.get(code="G5-2.1")
    assert first.statement == "Ik kan getallen tot 1000 op de getallenlijn zetten."
    assert "; redeneren met honderdtallen" in first.description
    assert first.strand.name == "Getallen" and first.pictogram == "star"
    assert [lv.descriptor for lv in first.levels.all()] == [
        "Ik ben begonnen",
        "Het lukt met hulp",
        "Het lukt alleen",
        "Ik kan het uitleggen",
    ]
    assert Goal.objects.get(code="G5-3.4").levels.count() == 3


def test_the_groep_8_example_imports_with_five_levels(group5):
    goals = import_goals(group5, (EXAMPLES / "doelen-groep8-rekenen.csv").read_bytes())
    assert len(goals) == 8
    assert Goal.objects.get(code="G8-3.1").levels.count() == 5
    assert Goal.objects.get(code="G8-3.1").statement.startswith("Ik kan procenten")


def test_excel_utf8_with_a_byte_order_mark_is_fine(group5):
    data = ("\ufeff" + HEADER + GOOD_ROW).encode("utf-8")
    assert len(import_goals(group5, data)) == 1


BAD_FILES = [
    (
        "missing column",
        "strand,block,code,statement,level_1,level_2,level_3\n"
        "Getallen,Rekenen blok 3,X,Ik kan,a,b,c\n",
        [
            "Row 1: missing column(s): description. Needed: strand, block, code, statement, "
            "description, level_1, level_2, level_3."
        ],
    ),
    (
        "unknown block",
        HEADER + GOOD_ROW + "Getallen,Rekenen blok 9,G6-9.2,Ik kan meten.,,a,b,c,\n",
        ["Row 3: block 'Rekenen blok 9' does not exist in Groep 6."],
    ),
    (
        "duplicate code in the file",
        HEADER + GOOD_ROW + GOOD_ROW.replace("tellen", "rekenen"),
        ["Row 3: code G6-9.1 is also used in row 2."],
    ),
    (
        "code already in the block",
        HEADER + "Verhoudingen,Rekenen blok 3,G6-3.1,Ik kan iets.,,a,b,c,\n",
        ["Row 2: code G6-3.1 already exists in Rekenen blok 3."],
    ),
    (
        "too few levels",
        HEADER + "Getallen,Rekenen blok 3,G6-9.3,Ik kan tellen.,,a,b,,\n",
        ["Row 2: A goal has 3 to 5 levels, not 2."],
    ),
    (
        "empty statement and strand",
        HEADER + ",Rekenen blok 3,G6-9.4,,,a,b,c,\n",
        ["Row 2: the strand is empty; the 'ik kan ...' statement is empty."],
    ),
    ("empty file", "", ["The file is empty."]),
]


@pytest.mark.parametrize(
    "text,errors", [(t, e) for _, t, e in BAD_FILES], ids=[n for n, _, _ in BAD_FILES]
)
def test_a_bad_file_is_refused_with_row_numbers_and_changes_nothing(group5, text, errors):
    before = state()
    with pytest.raises(ImportFailed) as failure:
        import_goals(group5, text.encode("utf-8"))
    assert failure.value.errors == errors
    assert state() == before


def test_a_file_in_the_wrong_encoding_is_refused(group5):
    data = (HEADER + "Getallen,Rekenen blok 3,G6-9.5,Ik kan één ding.,,a,b,c,\n").encode("cp1252")
    before = state()
    with pytest.raises(ImportFailed) as failure:
        import_goals(group5, data)
    assert failure.value.errors == [
        "Row 2: the file is not UTF-8. In Excel, save it as 'CSV UTF-8'."
    ]
    assert state() == before


def test_good_rows_are_not_imported_when_another_row_is_bad(group5):
    text = HEADER + GOOD_ROW + "Getallen,Rekenen blok 9,G6-9.2,Ik kan meten.,,a,b,c,\n"
    with pytest.raises(ImportFailed):
        import_goals(group5, text.encode())
    assert not Goal.objects.filter(code="G6-9.1").exists()


def test_the_command_imports_and_reports_errors(group5, tmp_path, capsys):
    good = tmp_path / "good.csv"
    good.write_text(HEADER + GOOD_ROW, encoding="utf-8")
    call_command("import_goals", group5.class_code, str(good))
    assert "1 goals imported" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + GOOD_ROW.replace("G6-9.1", "G6-9.7").replace("blok 3", "blok 7"))
    with pytest.raises(CommandError) as error:
        call_command("import_goals", group5.class_code, str(bad))
    assert "Nothing was imported" in str(error.value) and "Row 2" in str(error.value)
    with pytest.raises(CommandError):
        call_command("import_goals", "NOPE99", str(good))


def test_a_teacher_imports_in_beheer_and_sees_row_errors(world, group5, client):
    client.force_login(world.teacher)
    url = "/admin/goals/block/import/"
    bad = SimpleUploadedFile(
        "doelen.csv", (HEADER + "X,Rekenen blok 9,C1,Ik kan,,a,b,c,\n").encode()
    )
    page = client.post(url, {"group": group5.pk, "file": bad}).content.decode()
    assert "Rij 2" in page and "Nothing was imported" not in page
    assert not Goal.objects.filter(code="C1").exists()
    good = SimpleUploadedFile("doelen.csv", (HEADER + GOOD_ROW).encode())
    response = client.post(url, {"group": group5.pk, "file": good})
    assert response.status_code == 302
    assert Goal.objects.filter(code="G6-9.1", block__group=group5).exists()


def test_a_teacher_cannot_import_into_a_colleagues_group(world, client):
    client.force_login(world.teacher)
    good = SimpleUploadedFile("doelen.csv", (HEADER + GOOD_ROW).encode())
    response = client.post(
        "/admin/goals/block/import/", {"group": world.other_group.pk, "file": good}
    )
    assert response.status_code == 200  # the form offers only the teacher's own groups
    assert not Goal.objects.filter(code="G6-9.1").exists()
