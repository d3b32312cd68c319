"""Every Beheer form offers only the user's own school, and a foreign id is a form error.

For every registered admin, as a teacher and as a school admin: the add form and the
change form of an own object offer, in every select, multi-select and inline, only rows
the user may read (never another school's). Posting another school's (or another
group's) goal, place, group member or activity goal answers 200 with the error on the
form, and the database is the same afterwards, table by table.
"""

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.forms import ModelChoiceField

from classroom import actions, permissions
from classroom.models import School
from goals import actions as goal_actions
from planboard import actions as planboard_actions
from tests.forms import _FormReader

User = get_user_model()
PERSONAS = ["teacher", "school_admin"]


@pytest.fixture(scope="module")
def extend_world():
    def extend(w):
        # Another school's row of every kind a form could offer; and a place and a goal
        # of the colleague's group: the own school, but not the lesson's group.
        w.foreign_place = actions.create_place(
            group=w.foreign_group, name="Anker-hoek", icon="quiet"
        )
        w.foreign_lesson = actions.create_lesson(group=w.foreign_group, title="Anker-les")
        w.foreign_strand = goal_actions.strand_for(w.other_school, "Meetkunde")
        w.foreign_block = goal_actions.create_block(
            group=w.foreign_group,
            name="Anker-blok",
            start_date=w.block.start_date,
            end_date=w.block.end_date,
        )
        w.foreign_goal = goal_actions.create_goal(
            block=w.foreign_block,
            strand=w.foreign_strand,
            code="A-1",
            statement="Ik kan hoeken meten.",
            levels=["Begonnen", "Met hulp", "Alleen"],
        )
        w.foreign_activity = planboard_actions.create_activity(
            group=w.foreign_group, name="Anker-zandtafel", pictogram="building", capacity=2
        )
        w.colleague_place = actions.create_place(group=w.other_group, name="Kring", icon="quiet")
        # A second school the school admin runs: where she gives a colleague a place.
        w.second_school = actions.create_school(name="OBS De Es", city="Zwolle")
        actions.set_membership(school=w.second_school, user=w.school_admin, role="school_admin")

    return extend


def _login(client, world, persona):
    client.force_login(world.user(persona))
    return world.user(persona)


# --- Reading a form as the browser gets it --------------------------------------------


class _AdminFormReader(_FormReader):
    """tests.forms' reader for the admin's `<form id="…_form">`, which also notes every
    option each select and each checkbox group offers."""

    def __init__(self, form_id: str):
        super().__init__(form_id)
        self.offered: dict[str, set[str]] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == self.testid:
            attrs["data-testid"] = self.testid
        super().handle_starttag(tag, list(attrs.items()))
        if not self.inside:
            return
        if tag == "option" and self._select and attrs.get("value"):
            self.offered.setdefault(self._select, set()).add(attrs["value"])
        elif tag == "input" and attrs.get("type") in ("checkbox", "radio") and attrs.get("name"):
            self.offered.setdefault(attrs["name"], set()).add(attrs.get("value", "on"))


def _read(response, model):
    reader = _AdminFormReader(f"{model._meta.model_name}_form")
    reader.feed(response.content.decode())
    assert reader.data, f"no {model._meta.model_name}_form on the page"
    return reader


def _model_fields(response) -> dict:
    """Every rendered form field's name (with its prefix) -> its model-choice field: the
    main form's and every inline form's, the empty one included."""
    form = response.context["adminform"].form
    forms = [form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [*inline.formset.forms, inline.formset.empty_form]
    return {
        f.add_prefix(name): field
        for f in forms
        for name, field in f.fields.items()
        if isinstance(field, ModelChoiceField)
    }


def _allowed_ids(user, model) -> set[str]:
    if model in permissions.RULES:
        rows = permissions.readable(user, model.objects.all())
    elif model is User:
        schools = permissions.readable(user, School.objects.all())
        rows = User.objects.filter(memberships__school__in=schools)
    else:
        pytest.fail(f"no rule says which {model.__name__} a form may offer")
    return {str(pk) for pk in rows.values_list("pk", flat=True)}


def _foreign_ids(world, model) -> set[str]:
    """The other school's rows (for users: its staff, and every pupil's account)."""
    if model is User:
        rows = User.objects.filter(memberships__school=world.other_school) | User.objects.filter(
            pupil__isnull=False
        )
    else:
        rows = permissions.readable(world.other_school_teacher, model.objects.all())
        if model is School:
            rows = School.objects.filter(pk=world.other_school.pk)
    return {str(pk) for pk in rows.values_list("pk", flat=True)}


def _own_object(user, model):
    """An object of the model the user may change (else read), the oldest first."""
    if model not in permissions.RULES:
        return None
    rows = list(permissions.readable(user, model.objects.all()).order_by("pk"))
    changeable = [obj for obj in rows if permissions.can_change(user, obj)]
    return (changeable or rows or [None])[0]


def _offers_only_own(response, model, user, world) -> int:
    """Asserts that every select and checkbox group of the page's form offers only rows
    the user may read, none of another school; returns how many options it saw."""
    fields, seen = _model_fields(response), 0
    for name, values in _read(response, model).offered.items():
        field = fields.get(name)
        if field is None:
            continue  # a choice of words (subject, openness), not of rows
        related = field.queryset.model
        leaked = values & _foreign_ids(world, related)
        assert not leaked, f"{name} offers another school's {related.__name__} {leaked}"
        strange = values - _allowed_ids(user, related)
        assert not strange, f"{name} offers {related.__name__} {strange}, not the user's"
        seen += len(values)
    return seen


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_add_and_change_form_offers_only_the_own_school(world, client, persona):
    user = _login(client, world, persona)
    checked, opened = 0, []
    for model in admin.site._registry:
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        own = _own_object(user, model)
        urls = [f"{base}add/"] + ([f"{base}{own.pk}/change/"] if own else [])
        for url in urls:
            response = client.get(url)
            if response.status_code != 200:
                assert response.status_code in (302, 403), url  # not hers to open
                continue
            opened.append(url)
            checked += _offers_only_own(response, model, user, world)
    # Not a vacuous walk: both personas open the forms of their daily objects.
    for path in ("classroom/pupil/add/", "classroom/place/add/", "classroom/lesson/add/"):
        assert f"/admin/{path}" in opened, path
    assert f"/admin/classroom/lesson/{world.lesson.pk}/change/" in opened
    assert f"/admin/planboard/activity/{world.activity.pk}/change/" in opened
    if persona == "school_admin":
        assert "/admin/classroom/group/add/" in opened
        assert "/admin/classroom/membership/add/" in opened
    assert checked >= 15


def test_a_lesson_offers_its_own_groups_goals_and_places(world, client):
    """The positive side of the walk above: the options are there, and only the
    lesson's group's (not the colleague's group, which the school admin may read)."""
    _login(client, world, "school_admin")
    response = client.get(f"/admin/classroom/lesson/{world.lesson.pk}/change/")
    offered = _read(response, type(world.lesson)).offered
    assert offered["place_options"] == {str(world.place.pk)}
    assert str(world.goal.pk) in offered["goal_options"]
    assert str(world.other_goal.pk) not in offered["goal_options"]
    assert str(world.goal.pk) in _read(response, type(world.lesson)).data["goal_options"]


# --- Posting a foreign id -------------------------------------------------------------


def _database() -> dict:
    """Every row of every table (through tables too), sessions aside: what a refused
    post must leave as it was."""
    return {
        model._meta.db_table: sorted(map(repr, model._base_manager.values_list()))
        for model in apps.get_models(include_auto_created=True)
        if model is not Session
    }


def _as_shown(client, url, model) -> dict:
    response = client.get(url)
    assert response.status_code == 200, url
    return _read(response, model).data


def _pk(obj) -> list[str]:
    return [str(obj.pk)]


MULTIPLE = {"place_options", "goal_options", "teachers", "goals"}


def _with(data: dict, field: str, obj) -> dict:
    """The form's data with `obj` chosen in `field`: added to a multiple choice (what is
    chosen already stays), instead of a single one."""
    chosen = data.get(field, []) if field in MULTIPLE else []
    return {**data, field: chosen + _pk(obj)}


# (what is posted, the object's form, the field, the world's row posted in it)
# fmt: off
CHANGES = [
    ("lesson: another school's place", "lesson", "place_options", "foreign_place"),
    # The school admin may read the colleague's place and goal, but the lesson's group
    # is another: the form does not offer them, and the action would refuse them.
    ("lesson: another group's place", "lesson", "place_options", "colleague_place"),
    ("lesson: another school's goal", "lesson", "goal_options", "foreign_goal"),
    ("lesson: another group's goal", "lesson", "goal_options", "other_goal"),
    ("group: another school's teacher", "group", "teachers", "other_school_teacher"),
    ("group: a pupil as teacher", "group", "teachers", "pupil_user"),
    ("activity: another school's goal", "activity", "goals", "foreign_goal"),
    ("activity: another group's goal", "activity", "goals", "other_goal"),
    ("pupil: another school's group", "pupil", "group", "foreign_group"),
]
# fmt: on
OWN = {"lesson": "lesson", "group": "group", "activity": "activity", "pupil": "pupil"}


def _row(world, name):
    return world.pupil.user if name == "pupil_user" else getattr(world, name)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("case", "form", "field", "row"), CHANGES, ids=[c[0] for c in CHANGES])
def test_a_change_form_refuses_a_foreign_id_and_changes_nothing(
    world, client, persona, case, form, field, row
):
    user = _login(client, world, persona)
    obj = getattr(world, OWN[form])
    url = f"/admin/{obj._meta.app_label}/{form}/{obj.pk}/change/"
    data = _with(_as_shown(client, url, type(obj)), field, _row(world, row))
    before = _database()
    response = client.post(url, data)
    assert response.status_code == 200, f"{case}: {response.status_code}"
    assert 'class="errornote"' in response.content.decode(), case
    assert response.context["errors"], case
    assert _database() == before, case
    _offers_only_own(response, type(obj), user, world)  # and the form shown again too


def _new(w, path: str) -> dict:
    """What an add form needs filled in, besides the id under test."""
    week = {"start_date": "2026-12-07", "end_date": "2026-12-20"}
    return {
        "classroom/lesson": {
            "group": _pk(w.group), "title": "Nieuwe les", "subject": "rekenen",
            "date": "2026-12-07", "differentiation": "whole_class",
            **{f"{a}_openness": "choice" for a in ("goal", "instruction", "place", "partner")},
            "order_openness": "fixed", "fixed_instruction": "unknown",
        },
        "planboard/activity": {
            "group": _pk(w.group), "name": "Verfhoek", "pictogram": "building",
            "capacity": "2", "active": "on",
        },
        "classroom/place": {"group": _pk(w.group), "name": "Hoek", "icon": "quiet"},
        "goals/block": {"group": _pk(w.group), "name": "Blok 9", **week},
        "classroom/group": {
            "school": _pk(w.school), "name": "Groep 9", "year_from": "5", "year_to": "5",
            "picture_code_length": "3", "language": "nl",
            "places-TOTAL_FORMS": "0", "places-INITIAL_FORMS": "0",
        },
        "classroom/membership": {"user": _pk(w.colleague), "school": _pk(w.second_school),
                                 "role": "teacher"},
        "classroom/pupil": {"group": _pk(w.group), "display_name": "Indringer",
                            "avatar": "ball", "avatar_colour": "blue", "active": "on"},
    }[path]  # fmt: skip


# (what is posted, the add form, the field, the world's row posted in it)
# fmt: off
ADDS = [
    ("lesson: another school's place", "classroom/lesson", "place_options", "foreign_place"),
    # The school admin may read the colleague's place: here only the action refuses it.
    ("lesson: another group's place", "classroom/lesson", "place_options", "colleague_place"),
    ("lesson: another school's goal", "classroom/lesson", "goal_options", "foreign_goal"),
    ("lesson: another group's goal", "classroom/lesson", "goal_options", "other_goal"),
    ("lesson: another school's group", "classroom/lesson", "group", "foreign_group"),
    ("activity: another school's goal", "planboard/activity", "goals", "foreign_goal"),
    ("activity: another group's goal", "planboard/activity", "goals", "other_goal"),
    ("activity: another school's group", "planboard/activity", "group", "foreign_group"),
    ("place: another school's group", "classroom/place", "group", "foreign_group"),
    ("block: another school's group", "goals/block", "group", "foreign_group"),
    ("pupil: another school's group", "classroom/pupil", "group", "foreign_group"),
    ("group: another school", "classroom/group", "school", "other_school"),
    ("group: another school's teacher", "classroom/group", "teachers", "other_school_teacher"),
    ("group: a pupil as teacher", "classroom/group", "teachers", "pupil_user"),
    ("membership: another school", "classroom/membership", "school", "other_school"),
    ("membership: another school's staff", "classroom/membership", "user", "other_school_teacher"),
    ("membership: a pupil", "classroom/membership", "user", "pupil_user"),
]
# fmt: on
FOR_SCHOOL_ADMINS = {"classroom/group", "classroom/membership"}  # a teacher gets 403


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("case", "path", "field", "row"), ADDS, ids=[c[0] for c in ADDS])
def test_an_add_form_refuses_a_foreign_id_and_changes_nothing(
    world, client, persona, case, path, field, row
):
    user = _login(client, world, persona)
    data = _with(_new(world, path), field, _row(world, row))
    before = _database()
    response = client.post(f"/admin/{path}/add/", data)
    if persona == "teacher" and path in FOR_SCHOOL_ADMINS:
        assert response.status_code == 403, f"{case}: {response.status_code}"
    else:
        assert response.status_code == 200, f"{case}: {response.status_code}"
        assert 'class="errornote"' in response.content.decode(), case
        assert response.context["errors"], case
        _offers_only_own(response, response.context["opts"].model, user, world)
    assert _database() == before, case


def test_the_add_forms_save_when_nothing_is_foreign(world, client):
    """The data above is a valid form but for the id under test (else the refusals
    would prove nothing)."""
    _login(client, world, "school_admin")
    for path in sorted({case[1] for case in ADDS}):
        response = client.post(f"/admin/{path}/add/", _new(world, path))
        assert response.status_code == 302, f"{path}: {response.content.decode()[:3000]}"


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_goal_is_read_in_beheer_and_a_foreign_block_or_strand_is_refused(world, client, persona):
    # Goals are made and changed in the app; Beheer shows them, and refuses a post.
    _login(client, world, persona)
    url = f"/admin/goals/goal/{world.goal.pk}/change/"
    assert client.get(url).status_code == 200
    before = _database()
    for change in ({"block": _pk(world.foreign_block)}, {"strand": _pk(world.foreign_strand)}):
        data = {"code": world.goal.code, "statement": world.goal.statement, **change}
        assert client.post(url, data).status_code == 403
    assert _database() == before


@pytest.mark.parametrize("persona", PERSONAS)
def test_an_object_stays_in_its_group(world, client, persona):
    """A place, lesson, block or activity is not moved in Beheer: its group is shown, not
    offered, and a posted group is not taken."""
    _login(client, world, persona)
    options = _lesson_options(world.lesson)
    for obj in (world.place, world.lesson, world.block, world.activity):
        url = f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/change/"
        data = _as_shown(client, url, type(obj))
        assert "group" not in data, url
        data["group"] = _pk(world.other_group)
        assert client.post(url, data).status_code == 302, url
        assert type(obj).objects.get(pk=obj.pk).group_id == world.group.pk, url
    # Saved as shown, the lesson keeps its options.
    assert _lesson_options(world.lesson) == options
    assert options["goals"] == [world.goal.pk]


def _lesson_options(lesson):
    lesson = type(lesson).objects.get(pk=lesson.pk)
    return {
        "goals": sorted(lesson.goal_options.values_list("pk", flat=True)),
        "places": sorted(lesson.place_options.values_list("pk", flat=True)),
    }
