""" "Nieuw van de klas": the class's reflections and photos reach its teachers, the
teacher's thumb or comment reaches the pupil, and nobody else sees either."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from classroom import actions as classroom_actions
from logbook import actions, entries
from logbook.models import Reaction
from logbook.voice import class_voice
from tests.images import jpeg_bytes

STREAM = "/leerkracht/groep/{}/nieuw/"
REACT = "/leerkracht/groep/{}/nieuw/reageer/"


def _reflect(world, pupil, text="Ik snap breuken nu!"):
    entries.choose(pupil=pupil, lesson=world.lesson, aspect="goal", value=[world.goal.pk])
    return entries.evaluate(
        pupil=pupil, lesson=world.lesson, levels={world.goal.pk: 3}, mood="great", text=text
    )


def _photo(pupil, **target):
    return actions.add_photo(
        pupil=pupil, upload=SimpleUploadedFile("w.jpg", jpeg_bytes()), **target
    )


def test_a_reflection_shows_the_levels_words_mood_and_photos_of_that_lesson(world, client):
    entry = _reflect(world, world.pupil)
    _photo(world.pupil, lesson=world.lesson, goal=world.goal)  # part of the reflection
    booklet_photo = _photo(world.classmate, goal=world.goal)  # a photo of its own
    items = class_voice(world.group)
    by_key = {item.key: item for item in items}
    reflection = by_key[f"entry-{entry.pk}"]
    assert reflection.kind == "reflection" and len(reflection.photos) == 2  # fixture's + new
    ((goal, level, position),) = reflection.levels
    assert goal == world.goal and position == 3
    assert level.descriptor == world.goal.levels.get(position=3).descriptor
    assert by_key[f"photo-{booklet_photo.pk}"].kind == "photo"
    assert items[0].when >= items[-1].when  # newest first

    client.force_login(world.teacher)
    page = client.get(STREAM.format(world.group.pk)).content.decode()
    assert "Nieuw van de klas" in page
    assert "“Ik snap breuken nu!”" in page
    assert f"{level.descriptor}</strong>" in page  # the words of the level, not "3"


def test_the_stream_costs_the_same_queries_for_two_or_ten_reflections(world):
    _reflect(world, world.pupil)
    _reflect(world, world.classmate)
    with CaptureQueriesContext(connection) as few:
        class_voice(world.group)
    for i in range(8):
        pupil = classroom_actions.create_pupil(group=world.group, display_name=f"Kind {i}")
        _reflect(world, pupil)
        _photo(pupil, goal=world.goal)
    with CaptureQueriesContext(connection) as many:
        assert len(class_voice(world.group)) >= 18
    assert len(many) == len(few)


def test_a_thumb_and_a_comment_reach_the_pupils_logbook_and_nobody_elses(world, client):
    entry = _reflect(world, world.pupil)
    client.force_login(world.teacher)
    response = client.post(
        REACT.format(world.group.pk), {"on": "entry", "id": entry.pk, "thumb": "1"}
    )
    assert response.status_code == 302 and response["Location"].endswith(f"#entry-{entry.pk}")
    client.post(
        REACT.format(world.group.pk),
        {"on": "entry", "id": entry.pk, "comment": "  Goed   uitgelegd!  "},
    )
    assert [(r.thumb, r.comment) for r in Reaction.objects.filter(entry=entry)] == [
        (True, ""),
        (False, "Goed uitgelegd!"),
    ]
    stream = client.get(STREAM.format(world.group.pk)).content.decode()
    item = stream.split(f'id="entry-{entry.pk}"')[1].split("</form>")[0]
    assert "Goed uitgelegd!" in item and 'data-testid="react-thumb"' not in item  # thumb given

    client.force_login(world.pupil.user)
    page = client.get(f"/leerling/logboek/{world.lesson.pk}/").content.decode()
    assert page.count('data-testid="teacher-reaction"') == 2
    assert "“Goed uitgelegd!”" in page and "juf.mirjam" in page
    client.force_login(world.classmate.user)
    page = client.get(f"/leerling/logboek/{world.lesson.pk}/").content.decode()
    assert "Goed uitgelegd!" not in page


@pytest.mark.parametrize(
    "data,message",
    [
        ({}, "Geef een duim of schrijf een korte reactie."),
        ({"comment": "x" * 141}, "Een reactie is hoogstens 140 tekens."),
    ],
)
def test_a_bad_reaction_says_why_and_saves_nothing(world, client, data, message):
    entry = _reflect(world, world.pupil)
    client.force_login(world.teacher)
    page = client.post(
        REACT.format(world.group.pk), {"on": "entry", "id": entry.pk, **data}, follow=True
    ).content.decode()
    assert message in page
    assert not Reaction.objects.exists()


def test_one_thumb_per_teacher_and_only_on_a_reflection_that_was_made(world):
    with pytest.raises(ValidationError, match="not reflected"):
        actions.react(acting_user=world.teacher, entry=world.entry, thumb=True)
    entry = _reflect(world, world.pupil)
    actions.react(acting_user=world.teacher, entry=entry, thumb=True)
    with pytest.raises(ValidationError, match="thumb already"):
        actions.react(acting_user=world.teacher, entry=entry, thumb=True)
    actions.react(acting_user=world.school_admin, entry=entry, thumb=True)  # her own thumb
    assert Reaction.objects.filter(entry=entry, thumb=True).count() == 2


@pytest.mark.parametrize("value", ["²", "-1", "9" * 30, "abc"])
def test_a_bad_or_foreign_id_is_a_404_not_a_500(world, client, value):
    client.force_login(world.teacher)
    assert (
        client.post(REACT.format(world.group.pk), {"on": "photo", "id": value}).status_code == 404
    )


def test_a_photo_of_another_group_cannot_be_answered_through_this_group(world, client):
    foreign = _photo(world.other_pupil, goal=None)
    client.force_login(world.school_admin)  # may answer both groups, but each in its own page
    response = client.post(
        REACT.format(world.group.pk), {"on": "photo", "id": foreign.pk, "thumb": "1"}
    )
    assert response.status_code == 404
    assert not Reaction.objects.exists()


def test_a_photo_answered_before_the_reflection_keeps_its_answer_in_it(world, client):
    photo = _photo(world.pupil, lesson=world.lesson, goal=world.goal)
    actions.react(acting_user=world.teacher, photo=photo, comment="Wat netjes!")
    entry = _reflect(world, world.pupil)
    (item,) = [i for i in class_voice(world.group) if i.key == f"entry-{entry.pk}"]
    assert photo in item.photos
    assert [r.comment for r in item.reactions] == ["Wat netjes!"]


def test_a_goal_without_a_level_in_the_evaluation_shows_no_earlier_mark(world):
    from datetime import timedelta

    from django.utils import timezone

    from goals import actions as goal_actions
    from goals.models import SelfAssessment

    mark = goal_actions.assess_self(pupil=world.pupil, goal=world.goal, level=1)
    # Marked in the booklet a few minutes before the lesson's evaluation.
    SelfAssessment.objects.filter(pupil=world.pupil).update(
        created_at=timezone.now() - timedelta(minutes=3)
    )
    assert mark is not None
    entries.choose(pupil=world.pupil, lesson=world.lesson, aspect="goal", value=[world.goal.pk])
    entry = entries.evaluate(pupil=world.pupil, lesson=world.lesson, levels={}, mood="ok")
    (item,) = [i for i in class_voice(world.group) if i.key == f"entry-{entry.pk}"]
    assert item.levels == []


def test_the_database_keeps_one_thumb_per_teacher_even_for_two_taps_at_once(world):
    from django.db import IntegrityError, transaction

    entry = _reflect(world, world.pupil)
    Reaction.objects.create(pupil=world.pupil, teacher=world.teacher, entry=entry, thumb=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Reaction.objects.create(pupil=world.pupil, teacher=world.teacher, entry=entry, thumb=True)
    # Comments are not limited.
    for text in ("Goed!", "Nog eens?"):
        actions.react(acting_user=world.teacher, entry=entry, comment=text)


def test_a_comment_is_one_line_of_printable_text(world):
    entry = _reflect(world, world.pupil)
    reaction = actions.react(
        acting_user=world.teacher, entry=entry, comment="Goed\x00 \n gedaan\x07!"
    )
    assert reaction.comment == "Goed gedaan!"


def test_an_inactive_pupils_work_is_not_answered(world, client):
    photo = _photo(world.classmate, goal=world.goal)
    classroom_actions.update_pupil(world.classmate, active=False)
    client.force_login(world.teacher)
    response = client.post(
        REACT.format(world.group.pk), {"on": "photo", "id": photo.pk, "thumb": "1"}
    )
    assert response.status_code == 404


def test_the_pupil_sees_the_answer_to_a_booklet_photo_in_the_booklet(world, client):
    photo = _photo(world.pupil, goal=world.goal)
    world.teacher.email = "mirjam@school.example"
    world.teacher.username = "mirjam@school.example"
    world.teacher.save()
    actions.react(acting_user=world.teacher, photo=photo, comment="Mooi!")
    client.force_login(world.pupil.user)
    page = client.get("/leerling/doelenboekje/").content.decode()
    assert 'data-testid="teacher-reaction"' in page and "“Mooi!”" in page
    assert "mirjam" in page and "school.example" not in page  # no address for a child
