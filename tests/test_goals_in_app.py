"""A teacher prepares goals in the app (issue 16, item 2): a new block, goals with their
"ik kan" text and rubric, a goals CSV shown in a preview with every bad row named before
anything is written, and a block reused from another group of the school."""

from datetime import timedelta

import pytest
from django.utils import timezone

from goals import actions
from goals.models import Block, Goal, RubricLevel, Strand

pytestmark = pytest.mark.django_db

CSV = (
    "leerlijn;blok;code;doel;beschrijving;pictogram;niveau_1;niveau_2;niveau_3\n"
    "Getallen;Rekenen blok 3;G6-3.3;Ik kan kommagetallen ordenen.;;;Begonnen;Met hulp;Alleen\n"
    "Meten;Rekenen blok 3;G6-3.4;Ik kan omtrek meten.;Met een liniaal;;Begonnen;Met hulp;Alleen\n"
)


def html(response) -> str:
    return response.content.decode()


def goals_of(group) -> list[tuple]:
    return sorted(
        Goal.objects.filter(block__group=group).values_list("block__name", "code", "statement")
    )


def test_a_teacher_creates_a_block_and_lands_on_its_goals(world, client_as):
    today = timezone.localdate()
    client = client_as(world.teacher)
    page = html(client.get(f"/leerkracht/groep/{world.group.pk}/doelen/"))
    assert 'data-testid="block-form"' in page and 'type="date"' in page
    assert f'value="{today.isoformat()}"' in page  # a new block starts today
    response = client.post(
        f"/leerkracht/groep/{world.group.pk}/blok/nieuw/",
        {"name": "Rekenen blok 4", "start_date": today, "end_date": today + timedelta(weeks=6)},
    )
    block = Block.objects.get(group=world.group, name="Rekenen blok 4")
    assert response["Location"] == f"/leerkracht/blok/{block.pk}/doelen/"
    assert "Dit blok heeft nog geen doelen." in html(client.get(response["Location"]))


def test_a_bad_block_is_refused_with_what_she_typed(world, client_as):
    client = client_as(world.teacher)
    today = timezone.localdate()
    before = list(Block.objects.values_list("pk", "name"))
    response = client.post(
        f"/leerkracht/groep/{world.group.pk}/blok/nieuw/",
        {"name": "Rekenen blok 3", "start_date": today, "end_date": today},
    )
    assert response.status_code == 400
    assert "Deze groep heeft al een blok dat Rekenen blok 3 heet." in html(response)
    response = client.post(
        f"/leerkracht/groep/{world.group.pk}/blok/nieuw/",
        {"name": "Later", "start_date": today, "end_date": today - timedelta(days=1)},
    )
    assert "Een blok kan niet eindigen voordat het begint." in html(response)
    assert 'value="Later"' in html(response)
    assert list(Block.objects.values_list("pk", "name")) == before


def test_a_goal_with_its_rubric_and_picture_is_added_and_edited(world, client_as):
    client = client_as(world.teacher)
    page = html(client.get(f"/leerkracht/blok/{world.block.pk}/doel/nieuw/"))
    # Every level shows its fixed icon, the picture is a tile, strands are suggested.
    for position in range(1, 6):
        assert f"icons/level-{position}.svg" in page
    assert 'name="pictogram"' in page and 'type="radio"' in page
    assert '<option value="Verhoudingen">' in page
    response = client.post(
        f"/leerkracht/blok/{world.block.pk}/doel/nieuw/",
        {
            "code": "G6-3.9",
            "statement": "Ik kan een breuk op de getallenlijn zetten.",
            "strand": "Getallen",
            "pictogram": "star",
            "level_1": "Ik ben begonnen",
            "level_2": "Het lukt met hulp",
            "level_3": "Het lukt alleen",
            "level_4": "",
            "level_5": "",
            "next": "another",
        },
    )
    assert response["Location"] == f"/leerkracht/blok/{world.block.pk}/doel/nieuw/"
    goal = Goal.objects.get(block=world.block, code="G6-3.9")
    assert goal.strand.name == "Getallen" and goal.strand.school == world.school
    assert goal.pictogram == "star"
    assert [(lv.position, lv.descriptor, lv.icon) for lv in goal.levels.all()] == [
        (1, "Ik ben begonnen", "level-1"),
        (2, "Het lukt met hulp", "level-2"),
        (3, "Het lukt alleen", "level-3"),
    ]
    # Editing: a fourth level, other words; the form shows what is saved.
    page = html(client.get(f"/leerkracht/doel/{goal.pk}/bewerken/"))
    assert 'value="Ik kan een breuk op de getallenlijn zetten."' in page
    assert 'value="Het lukt alleen"' in page
    client.post(
        f"/leerkracht/doel/{goal.pk}/bewerken/",
        {
            "code": "G6-3.9",
            "statement": "Ik kan breuken op de getallenlijn zetten.",
            "strand": "Getallen",
            "pictogram": "",
            "level_1": "Ik ben begonnen",
            "level_2": "Het lukt met hulp",
            "level_3": "Het lukt alleen",
            "level_4": "Ik kan het uitleggen",
        },
    )
    goal.refresh_from_db()
    assert goal.statement == "Ik kan breuken op de getallenlijn zetten." and goal.pictogram == ""
    assert goal.levels.count() == 4 and goal.levels.get(position=4).icon == "level-4"


def test_a_level_already_marked_is_not_taken_away(world, client_as):
    """Noor marked G6-3.1 at level 2: a rubric of the goal keeps levels 1-2 at least, and
    a refused edit changes nothing."""
    before = list(RubricLevel.objects.filter(goal=world.goal).values_list("position", "descriptor"))
    actions.assess_self(pupil=world.pupil, goal=world.goal, level=4)
    response = client_as(world.teacher).post(
        f"/leerkracht/doel/{world.goal.pk}/bewerken/",
        {
            "code": world.goal.code,
            "statement": "Anders",
            "strand": "Verhoudingen",
            "level_1": "a",
            "level_2": "b",
            "level_3": "c",
        },
    )
    assert response.status_code == 400
    assert "Niveau 4 is al gekozen" in html(response)
    world.goal.refresh_from_db()
    assert world.goal.statement == "Ik kan breuken vergelijken."
    assert (
        list(RubricLevel.objects.filter(goal=world.goal).values_list("position", "descriptor"))
        == before
    )


def test_a_goal_needs_three_levels_in_order(world, client_as):
    response = client_as(world.teacher).post(
        f"/leerkracht/blok/{world.block.pk}/doel/nieuw/",
        {
            "code": "X1",
            "statement": "Ik kan iets.",
            "strand": "Getallen",
            "level_1": "a",
            "level_2": "",
            "level_3": "c",
        },
    )
    assert response.status_code == 400
    assert not Goal.objects.filter(code="X1").exists()
    assert not Strand.objects.filter(name="Getallen").exists()


def test_the_goals_file_is_previewed_then_imported(world, client_as):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_as(world.teacher)
    before = goals_of(world.group)
    response = client.post(
        f"/leerkracht/groep/{world.group.pk}/doelen/importeren/",
        {"file": SimpleUploadedFile("doelen.csv", CSV.encode("utf-8-sig"), "text/csv")},
    )
    page = html(response)
    assert response.status_code == 200 and 'data-testid="import-preview"' in page
    assert "Dit voegt 2 doelen toe" in page and page.count('data-testid="import-row"') == 2
    assert "Ik kan omtrek meten." in page
    assert "Getallen, Meten" in page  # two strands the school does not have yet
    assert goals_of(world.group) == before  # the preview writes nothing
    text = page.split('<textarea name="text" hidden>')[1].split("</textarea>")[0]
    import html as html_lib

    response = client.post(
        f"/leerkracht/groep/{world.group.pk}/doelen/importeren/",
        {"confirm": "1", "text": html_lib.unescape(text)},
    )
    assert response["Location"] == f"/leerkracht/groep/{world.group.pk}/doelen/"
    assert len(goals_of(world.group)) == len(before) + 2
    # The same file again: every row is named, nothing is added.
    response = client.post(
        f"/leerkracht/groep/{world.group.pk}/doelen/importeren/",
        {"file": SimpleUploadedFile("doelen.csv", CSV.encode(), "text/csv")},
    )
    page = html(response)
    assert response.status_code == 400
    assert "Rij 2: code G6-3.3 bestaat al in Rekenen blok 3." in page
    assert "Rij 3: code G6-3.4 bestaat al in Rekenen blok 3." in page
    assert 'data-testid="confirm-import"' not in page


def test_every_bad_row_of_the_file_is_named(world, client_as):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = CSV + (
        "Getallen;Blok 9;G6-9;Ik kan iets.;;;a;b;c\nGetallen;Rekenen blok 3;G6-3.5;;;robot;a;b\n"
    )
    before = goals_of(world.group)
    response = client_as(world.teacher).post(
        f"/leerkracht/groep/{world.group.pk}/doelen/importeren/",
        {"file": SimpleUploadedFile("doelen.csv", bad.encode(), "text/csv")},
    )
    errors = html(response).count('data-testid="import-error"')
    assert response.status_code == 400 and errors == 2
    assert "Rij 4: blok &#x27;Blok 9&#x27; bestaat niet in Groep 6." in html(response)
    assert "Rij 5:" in html(response) and "onbekend pictogram" in html(response)
    assert goals_of(world.group) == before


def test_a_block_of_a_colleagues_group_is_reused_with_its_goals(world, client_as):
    """Juf Mirjam reuses meester Joost's reading block (another group, same school); the
    other school's blocks are not offered and cannot be posted."""
    client = client_as(world.teacher)
    source = world.other_goal.block
    page = html(client.get(f"/leerkracht/groep/{world.group.pk}/doelen/"))
    assert f'name="source" value="{source.pk}"' in page
    foreign = actions.create_block(
        group=world.foreign_group,
        name="Anker blok",
        start_date=timezone.localdate(),
        end_date=timezone.localdate(),
    )
    assert f'name="source" value="{foreign.pk}"' not in page
    today = timezone.localdate()
    dates = {"start_date": today, "end_date": today + timedelta(weeks=6)}
    response = client.post(
        f"/leerkracht/groep/{world.group.pk}/blok/hergebruik/",
        {"source": source.pk, "name": ""} | dates,
    )
    copy = Block.objects.get(group=world.group, name="Lezen blok 1")
    assert response["Location"] == f"/leerkracht/blok/{copy.pk}/doelen/"
    goal = copy.goals.get()
    assert (goal.code, goal.statement, goal.strand_id) == (
        "L3-1",
        "Ik kan een tekst hardop lezen.",
        world.other_goal.strand_id,
    )
    assert list(goal.levels.values_list("position", "descriptor")) == list(
        world.other_goal.levels.values_list("position", "descriptor")
    )
    assert not goal.self_assessments.exists()
    before = Block.objects.count()
    response = client.post(
        f"/leerkracht/groep/{world.group.pk}/blok/hergebruik/",
        {"source": foreign.pk, "name": "X"} | dates,
    )
    assert response.status_code == 404 and Block.objects.count() == before


def test_a_colleague_cannot_prepare_goals_for_a_group_she_does_not_teach(world, client_as):
    client = client_as(world.colleague)
    today = timezone.localdate()
    before = (Block.objects.count(), Goal.objects.count(), Strand.objects.count())
    response = client.post(
        f"/leerkracht/groep/{world.group.pk}/blok/nieuw/",
        {"name": "X", "start_date": today, "end_date": today},
    )
    assert response.status_code == 404
    valid = {"code": "X", "statement": "Ik kan X.", "strand": "Nieuw", "level_1": "a"}
    valid |= {"level_2": "b", "level_3": "c"}
    response = client.post(f"/leerkracht/blok/{world.block.pk}/doel/nieuw/", valid)
    assert response.status_code == 404
    response = client.post(f"/leerkracht/doel/{world.goal.pk}/bewerken/", valid)
    assert response.status_code == 404
    assert client.get(f"/leerkracht/doel/{world.goal.pk}/bewerken/").status_code == 404
    assert (Block.objects.count(), Goal.objects.count(), Strand.objects.count()) == before
    # The same post by the group's own teacher is saved: the refusal above was hers.
    response = client_as(world.teacher).post(
        f"/leerkracht/blok/{world.block.pk}/doel/nieuw/", valid
    )
    assert response.status_code == 302 and Goal.objects.filter(code="X").exists()


def test_a_leerlijn_in_other_capitals_is_the_schools_own(world, client_as):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_as(world.teacher)
    strands = sorted(Strand.objects.filter(school=world.school).values_list("name", flat=True))
    text = (
        "leerlijn;blok;code;doel;beschrijving;niveau_1;niveau_2;niveau_3\n"
        "verhoudingen;Rekenen blok 3;G6-3.8;Ik kan verhoudingen tekenen.;;a;b;c\n"
    )
    page = html(
        client.post(
            f"/leerkracht/groep/{world.group.pk}/doelen/importeren/",
            {"file": SimpleUploadedFile("d.csv", text.encode(), "text/csv")},
        )
    )
    assert 'data-testid="new-strands"' not in page
    client.post(
        f"/leerkracht/groep/{world.group.pk}/doelen/importeren/", {"confirm": "1", "text": text}
    )
    assert Goal.objects.get(code="G6-3.8").strand == world.strand
    assert sorted(Strand.objects.filter(school=world.school).values_list("name", flat=True)) == (
        strands
    )


def test_a_stray_quote_names_its_row_and_saves_nothing(world, client_as):
    from django.core.files.uploadedfile import SimpleUploadedFile

    rows = ["leerlijn;blok;code;doel;beschrijving;niveau_1;niveau_2;niveau_3"]
    rows += [f"Getallen;Rekenen blok 3;K{i};Ik kan {i}.;;a;b;c" for i in range(2)]
    # A quote that is never closed swallows the rest of the file into one field.
    rows += ['Getallen;Rekenen blok 3;Q;"Oefenen;;a;b;c'] + ["x;" * 40] * 2000
    before = goals_of(world.group)
    response = client_as(world.teacher).post(
        f"/leerkracht/groep/{world.group.pk}/doelen/importeren/",
        {"file": SimpleUploadedFile("d.csv", "\n".join(rows).encode(), "text/csv")},
    )
    assert response.status_code == 400
    assert "Rij 4: deze rij is niet te lezen" in html(response)
    assert goals_of(world.group) == before
