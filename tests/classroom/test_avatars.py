"""Every pupil of a class has a picture of their own: a kleuter finds their tile by its
picture and colour, so no two pupils of one class share both."""

import importlib
from collections import Counter

from django.apps import apps

from classroom import actions
from classroom.models import Pupil

NAMES = [f"Kleuter {i}" for i in range(30)]


def pairs(group):
    return list(group.pupils.order_by("pk").values_list("avatar", "avatar_colour"))


def test_thirty_pupils_of_a_class_all_get_a_different_picture(world):
    group = actions.create_group(school=world.school, name="De Beren", year_from=1, year_to=2)
    for name in NAMES:
        actions.create_pupil(group=group, display_name=name)
    in_class = pairs(group)
    assert len(in_class) == 30
    assert len(set(in_class)) == 30, Counter(in_class).most_common(4)
    # The pictures are spread: 12 pictures over 30 pupils, none worn by more than 3.
    assert max(Counter(p for p, _c in in_class).values()) <= 3


def test_a_pupil_added_later_avoids_the_pairs_already_in_the_class(world):
    group = actions.create_group(school=world.school, name="De Uilen", year_from=1, year_to=2)
    actions.create_pupil(group=group, display_name="Mila", avatar="sun", avatar_colour="red")
    actions.create_pupil(group=group, display_name="Ravi", avatar="moon", avatar_colour="blue")
    third = actions.create_pupil(group=group, display_name="Jens", avatar="sun")
    fourth = actions.create_pupil(group=group, display_name="Sara")
    assert (third.avatar, third.avatar_colour) not in {("sun", "red"), ("moon", "blue")}
    assert len(set(pairs(group))) == 4
    assert fourth.avatar not in {"sun", "moon"}


def _a_class_with_four_shared_pictures(world):
    group = actions.create_group(school=world.school, name="De Vossen", year_from=1, year_to=2)
    pupils = [actions.create_pupil(group=group, display_name=n) for n in NAMES[:12]]
    # As the old way of choosing left classes: four later pupils share an earlier one's.
    for early, late in [(0, 8), (1, 9), (2, 10), (3, 11)]:
        Pupil.objects.filter(pk=pupils[late].pk).update(
            avatar=pupils[early].avatar, avatar_colour=pupils[early].avatar_colour
        )
    return group, pupils


def test_only_the_pupils_who_share_a_picture_get_a_new_one(world):
    group, pupils = _a_class_with_four_shared_pictures(world)
    before = pairs(group)
    changed = actions.reassign_duplicate_avatars(group)
    after = pairs(group)
    assert sorted(p.pk for p in changed) == [pupils[i].pk for i in (8, 9, 10, 11)]
    assert len(set(after)) == 12
    assert [b == a for b, a in zip(before, after, strict=True)] == [True] * 8 + [False] * 4


def test_the_migration_gives_existing_classes_distinct_pictures(world):
    group, pupils = _a_class_with_four_shared_pictures(world)
    before = pairs(group)
    migration = importlib.import_module("classroom.migrations.0007_distinct_pupil_avatars")
    migration.reassign_duplicates(apps, None)
    after = pairs(group)
    assert len(set(after)) == 12
    assert after[:8] == before[:8]
    # The world's own classes had no shared pictures and keep theirs.
    assert (world.pupil.avatar, world.pupil.avatar_colour) == Pupil.objects.filter(
        pk=world.pupil.pk
    ).values_list("avatar", "avatar_colour")[0]


def test_a_pupil_moving_class_gets_a_new_picture_only_if_theirs_is_taken(world):
    actions.update_pupil(world.classmate, avatar="heart", avatar_colour="teal")
    newcomer = actions.update_pupil(world.other_pupil, avatar="heart", avatar_colour="teal")
    moved = actions.update_pupil(newcomer, group=world.group)
    assert len(set(pairs(world.group))) == 3
    assert (moved.avatar, moved.avatar_colour) != ("heart", "teal")
    # Alone with their picture in the new class, a pupil keeps it.
    kept = actions.update_pupil(moved, avatar="apple", avatar_colour="brown")
    kept = actions.update_pupil(kept, group=world.other_group)
    assert (kept.avatar, kept.avatar_colour) == ("apple", "brown")
