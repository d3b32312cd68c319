import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from classroom import actions
from classroom.models import CLASS_CODE_ALPHABET, Group
from classroom.pictograms import CODE_GRID


def test_a_new_group_gets_an_unambiguous_class_code(world):
    assert re.fullmatch(f"[{CLASS_CODE_ALPHABET}]{{6}}", world.group.class_code)
    assert not set("01ILO") & set(world.group.class_code)


def test_toddler_groups_get_two_picture_codes_and_older_ones_three(world):
    toddlers = actions.create_group(school=world.school, name="De Uilen", year_from=1, year_to=2)
    assert toddlers.picture_code_length == 2
    assert world.group.picture_code_length == 3
    pupil = actions.create_pupil(group=toddlers, display_name="Mila")
    assert len(pupil.code_sequence) == 2
    assert set(pupil.code_sequence) <= set(CODE_GRID)
    assert len(set(pupil.code_sequence)) == 2


@pytest.mark.parametrize(
    "year_from,year_to",
    [(0, 2), (3, 9), (5, 4)],
)
def test_group_years_must_lie_within_groep_1_to_8(world, year_from, year_to):
    with pytest.raises(ValidationError) as error:
        actions.create_group(school=world.school, name="X", year_from=year_from, year_to=year_to)
    assert "groep 1 to groep 8" in error.value.messages[0]
    assert not Group.objects.filter(name="X").exists()


def test_a_new_class_code_replaces_the_old_one(world):
    old = world.group.class_code
    actions.regenerate_class_code(world.group)
    world.group.refresh_from_db()
    assert world.group.class_code != old
    assert not Group.objects.filter(class_code=old).exists()


def test_a_pupil_account_has_no_usable_password(world):
    assert not world.pupil.user.has_usable_password()


def test_only_staff_of_the_school_can_teach_a_group(world):
    with pytest.raises(ValidationError):
        actions.assign_teacher(group=world.group, user=world.other_school_teacher)
    assert world.other_school_teacher not in world.group.teachers.all()


def test_a_pupil_cannot_move_to_another_school(world):
    with pytest.raises(ValidationError):
        actions.update_pupil(world.pupil, group=world.foreign_group)
    world.pupil.refresh_from_db()
    assert world.pupil.group == world.group


def test_the_right_code_logs_in(world):
    assert actions.check_picture_code(world.pupil, ["sun", "fish", "star"]).ok


def test_the_order_of_the_pictures_matters(world):
    assert not actions.check_picture_code(world.pupil, ["fish", "sun", "star"]).ok


def test_five_wrong_codes_lock_the_pupil_for_five_minutes(world):
    for left in (4, 3, 2, 1):
        result = actions.check_picture_code(world.pupil, ["moon", "moon", "moon"])
        assert not result.ok and result.attempts_left == left and not result.locked
    result = actions.check_picture_code(world.pupil, ["moon", "moon", "moon"])
    assert result.locked
    assert result.locked_until - timezone.now() == pytest.approx(
        timedelta(minutes=5), abs=timedelta(seconds=5)
    )
    # While locked, even the right code does not get in.
    assert not actions.check_picture_code(world.pupil, ["sun", "fish", "star"]).ok


def test_the_teacher_unlocks_a_pupil(world):
    for _ in range(5):
        actions.check_picture_code(world.pupil, ["moon"])
    world.pupil.refresh_from_db()
    assert world.pupil.is_locked()
    actions.unlock_pupil(world.pupil)
    assert actions.check_picture_code(world.pupil, ["sun", "fish", "star"]).ok


def test_a_right_code_resets_the_count_of_wrong_ones(world):
    for _ in range(4):
        actions.check_picture_code(world.pupil, ["moon"])
    actions.check_picture_code(world.pupil, ["sun", "fish", "star"])
    result = actions.check_picture_code(world.pupil, ["moon"])
    assert result.attempts_left == 4


def test_the_lock_ends_by_itself(world):
    for _ in range(5):
        actions.check_picture_code(world.pupil, ["moon"])
    world.pupil.refresh_from_db()
    world.pupil.locked_until = timezone.now() - timedelta(seconds=1)
    world.pupil.save()
    assert actions.check_picture_code(world.pupil, ["sun", "fish", "star"]).ok


def test_a_reset_code_is_new_and_unlocks(world):
    for _ in range(5):
        actions.check_picture_code(world.pupil, ["moon"])
    actions.reset_picture_code(world.pupil)
    world.pupil.refresh_from_db()
    assert not world.pupil.is_locked()
    assert actions.check_picture_code(world.pupil, world.pupil.code_sequence).ok


@pytest.mark.parametrize(
    "fields,message",
    [
        ({"name": " "}, "A place needs a name."),
        ({"name": "Gang", "icon": "rocket"}, "Unknown icon: rocket"),
        ({"name": "Gang", "capacity": 0}, "A place holds at least one pupil."),
        ({"name": "stiltehoek"}, "This group already has a place called stiltehoek."),
    ],
)
def test_place_validation(world, fields, message):
    with pytest.raises(ValidationError) as error:
        actions.create_place(group=world.group, **fields)
    assert error.value.messages == [message]
    assert world.group.places.count() == 1


@pytest.mark.parametrize(
    "fields,message",
    [
        ({"title": ""}, "A lesson needs a title."),
        (
            {"title": "X", "goal_openness": "open"},
            "Openness of goal must be fixed, choice or free.",
        ),
        ({"title": "X", "subject": "gym"}, "Unknown subject: gym"),
        ({"title": "X", "colour": "red"}, "Unknown lesson fields: {'colour'}"),
    ],
)
def test_lesson_validation(world, fields, message):
    with pytest.raises(ValidationError) as error:
        actions.create_lesson(group=world.group, **fields)
    assert error.value.messages == [message]
