"""Who may do what is declared once per model: every model of the project's apps has
rules in classroom.permissions (or is listed here as internal, with why), and every
operation an endpoint or page asks for is a declared one. The permission matrix
(tests/permissions/) checks what each operation answers;
this file checks that nothing asks for an operation nobody declared."""

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import URLPattern, URLResolver, get_resolver

from classroom import permissions
from classroom.models import Group, Lesson, Place, Pupil, School
from goals.models import Block, Goal, Strand, TeacherAssessment
from logbook.models import ConversationNote, LogbookEntry, Photo, Reaction
from planboard.models import Activity, Board, Plan, PlanPhoto
from research.models import Consent, Intervention, InterventionLesson, Observation, Study

APPS = ["classroom", "goals", "logbook", "planboard", "research"]

# Models no user reaches through the API, the pages, the admin's scoped pages or the
# consumers; only code reads them, on behalf of a request it has already checked.
INTERNAL = {
    "classroom.IdempotencyRecord": "a stored answer, replayed only to the user who wrote it",
    "classroom.UsageEvent": "the append-only usage log: written by actions, read by exports "
    "(each checked as the study's `export`) and by the superuser's read-only admin",
}


def test_every_model_of_the_apps_declares_its_rules():
    models = [model for app in APPS for model in apps.get_app_config(app).get_models()]
    undeclared = [
        model._meta.label
        for model in models
        if model not in permissions.RULES and model._meta.label not in INTERNAL
    ]
    assert not undeclared, f"models without rules in classroom.permissions: {undeclared}"
    labels = {model._meta.label for model in models}
    assert set(INTERNAL) <= labels, "INTERNAL names a model that no longer exists"
    assert not [m for m in permissions.RULES if m._meta.label in INTERNAL]


def test_every_model_has_the_basic_operations():
    for model in permissions.RULES:
        assert {"read", "change", "create"} <= set(permissions.operations_of(model)), model


def _routes(resolver=None, namespace=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _routes(pattern, ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern.callback


def _viewset_operations():
    """(route, method, model, operation) for every method of every viewset route, as
    DeclaredPermission works it out."""
    for route, callback in _routes():
        viewset = getattr(callback, "cls", None)
        actions = getattr(callback, "actions", None)
        if viewset is None or not actions:
            continue
        for method, action in actions.items():
            view = viewset(**callback.initkwargs)
            view.action = action
            name = permissions.operation_of(view, method.upper())
            yield route, method, viewset.queryset.model, name


def test_every_api_operation_is_declared():
    asked = list(_viewset_operations())
    assert len(asked) > 40  # the walk found the routers
    undeclared = [
        f"{method.upper()} {route}: {model.__name__}.{name}"
        for route, method, model, name in asked
        if name not in permissions.operations_of(model)
    ]
    assert not undeclared


def test_the_named_api_operations_are_the_ones_declared_for_them():
    named = {(route, method): (model, name) for route, method, model, name in _viewset_operations()}
    assert named[("plan-move", "post")] == (Plan, "move_child")
    assert named[("logbookentry-override", "post")] == (LogbookEntry, "decide_for_pupil")
    assert named[("study-export", "get")] == (Study, "export")
    assert named[("consent-list", "post")] == (Consent, "set_consent")
    assert named[("pupil-unlock", "post")] == (Pupil, "unlock")
    assert named[("lesson-start", "post")] == (Lesson, "run")
    assert named[("board-list", "post")] == (Board, "create")


# What each page and each API view outside the routers asks, by route: (model,
# operation) pairs; none for what is open to anyone or sorted by role alone (the pupil's
# own pages; the matrix says who gets what).
PAGE_OPERATIONS = {
    "api-me": [],
    "api-root": [],
    "api-schema": [],
    "api-docs": [],
    "api-lesson-dashboard": [(Lesson, "view_dashboard")],
    "healthz": [],
    "set_language": [],
    "frontend:start": [],
    "frontend:service-worker": [],
    "frontend:manifest": [],
    "frontend:home": [],
    "frontend:teacher-login": [],
    "frontend:logout": [],
    "frontend:class-code": [],
    "frontend:class-grid": [],
    "frontend:choose-pupil": [],
    "frontend:picture-code": [],
    "frontend:class-photo": [],
    "frontend:old-login-card": [],
    "frontend:pupil-home": [(Lesson, "read")],
    "frontend:switch-pupil": [],
    "frontend:pupil-booklet": [(Block, "read")],
    "frontend:pupil-booklet-block": [(Block, "read")],
    "frontend:pupil-photos": [(Photo, "read")],
    "frontend:pupil-planboard": [],
    "frontend:pupil-logbook": [(Lesson, "read")],
    "frontend:photo": [(Photo, "read")],
    "frontend:photo-thumbnail": [(Photo, "read")],
    "frontend:planboard-photo": [(PlanPhoto, "read")],
    "frontend:planboard-photo-thumbnail": [(PlanPhoto, "read")],
    "frontend:planboard-corner-photo": [(Activity, "read")],
    "frontend:planboard-corner-photo-change": [(Activity, "change")],
    "frontend:teacher-home": [(Group, "read")],
    "frontend:group": [(Group, "change"), (Group, "manage_pupil_data")],
    "frontend:login-cards": [(Group, "change")],
    "frontend:import-pupils": [(School, "import_roster")],
    "frontend:import-teachers": [(School, "import_roster")],
    "frontend:set-password": [],  # the link's token is the right to it
    "frontend:second-factor": [],  # the session's right password is the right to it
    "frontend:school-account": [],  # to the school's provider
    "frontend:school-account-callback": [],  # the provider's answer is the right to it
    "frontend:school-account-failed": [],  # says only that it failed
    "frontend:recovery-codes": [],  # one's own, once
    "frontend:own-second-factor": [],  # one's own
    "frontend:second-factor-staff": [(School, "manage_second_factor")],
    "frontend:school-year": [(School, "turn_school_year")],
    "frontend:group-qr": [(Group, "change")],
    "frontend:group-new-code": [(Group, "new_class_code")],
    "frontend:pupil-photo": [(Pupil, "read")],
    "frontend:pupil-unlock": [(Pupil, "unlock")],
    "frontend:pupil-new-code": [(Pupil, "new_picture_code")],
    "frontend:group-blocks": [(Group, "change")],
    "frontend:block-overview": [(Block, "change")],
    "frontend:block-new": [(Block, "create")],
    "frontend:block-reuse": [(Block, "create"), (Block, "reuse")],
    "frontend:goals-import": [(Block, "create"), (Goal, "create"), (Strand, "create")],
    "frontend:block-goals": [(Block, "change")],
    "frontend:goal-new": [(Goal, "create"), (Strand, "create")],
    "frontend:goal-edit": [(Goal, "change"), (Strand, "create")],
    "frontend:teacher-pupil-booklet": [(Pupil, "change"), (ConversationNote, "read")],
    "frontend:assess": [(TeacherAssessment, "create")],
    "frontend:add-note": [(ConversationNote, "create")],
    "frontend:lesson": [(Lesson, "view_dashboard")],
    "frontend:lesson-control": [(Lesson, "run")],
    "frontend:lesson-settings": [(Lesson, "change")],
    "frontend:lesson-digibord": [(Lesson, "view_dashboard")],
    "frontend:lesson-new": [(Lesson, "create")],
    "frontend:lesson-edit": [(Lesson, "change")],
    "frontend:lesson-delete": [(Lesson, "change")],
    "frontend:teacher-planboard": [(Group, "change")],
    "frontend:class-voice": [(Group, "follow_class_voice")],
    "frontend:class-voice-react": [(Group, "follow_class_voice"), (Reaction, "create")],
    "frontend:teacher-planboard-change": [
        (Group, "change"),
        (Plan, "move_child"),
        (Board, "plan_for_child"),
    ],
    "frontend:places": [(Place, "create")],
    "frontend:place-edit": [(Place, "change")],
    "frontend:activity-new": [(Activity, "create")],
    "frontend:activity-edit": [(Activity, "change")],
    "frontend:digibord": [(Board, "change")],
    "frontend:pupil-planboard-week": [(Pupil, "change")],
    "frontend:research-home": [(Study, "read"), (Study, "create"), (Intervention, "create")],
    "frontend:study-new": [(Study, "create")],
    "frontend:study": [(Study, "read"), (Study, "export"), (Consent, "set_consent")],
    "frontend:study-edit": [(Study, "change")],
    "frontend:study-consent": [(Consent, "set_consent")],
    "frontend:study-export": [(Study, "export")],
    "frontend:intervention-new": [(Intervention, "create")],
    "frontend:intervention": [(Intervention, "read"), (Intervention, "change")],
    "frontend:intervention-edit": [(Intervention, "change")],
    "frontend:intervention-observation": [(Observation, "create")],
    "frontend:intervention-link": [(InterventionLesson, "create")],
    "frontend:intervention-unlink": [(InterventionLesson, "change")],
    "frontend:pupil-data": [(Pupil, "manage_data")],
    "frontend:pupil-data-download": [(Pupil, "manage_data")],
    "frontend:pupil-erase": [(Pupil, "manage_data")],
}


def test_every_page_names_a_declared_operation():
    viewset_routes = {route for route, *_ in _viewset_operations()}
    routes = {route for route, _ in _routes()} - viewset_routes
    assert routes == set(PAGE_OPERATIONS), (
        f"name the operation of new routes here: {sorted(routes - set(PAGE_OPERATIONS))}; "
        f"gone: {sorted(set(PAGE_OPERATIONS) - routes)}"
    )
    undeclared = [
        f"{route}: {model.__name__}.{name}"
        for route, asked in PAGE_OPERATIONS.items()
        for model, name in asked
        if name not in permissions.operations_of(model)
    ]
    assert not undeclared


def test_every_route_of_the_permission_matrix_asks_a_declared_operation():
    from tests.permissions.test_routes import covered

    asked = {route for route, *_ in _viewset_operations()} | set(PAGE_OPERATIONS)
    assert covered("COVERED") <= asked


def test_every_websocket_asks_a_declared_operation(world):
    from config.asgi import websocket_urlpatterns

    for pattern in websocket_urlpatterns:
        consumer = pattern.callback.consumer_class()
        obj = consumer.find(getattr(world, consumer.url_kwarg.removesuffix("_id")).pk)
        assert consumer.operation in permissions.operations_of(type(obj)), pattern.pattern


# --- The API of classroom.permissions --------------------------------------------------


def test_an_undeclared_operation_is_an_error_not_a_refusal(world):
    with pytest.raises(LookupError):
        permissions.can(world.teacher, "mvoe_child", world.plan)
    with pytest.raises(LookupError):
        permissions.can(None, "mvoe_child", world.plan)


def test_reading_is_not_an_operation_one_can_redeclare():
    with pytest.raises(ValueError):
        permissions.declare_operation(Plan, "read", permissions.STAFF)


def test_rules_compose(world):
    staff_change = permissions.STAFF & permissions.MAY_CHANGE
    teacher = permissions.actor_for(world.teacher)
    pupil = permissions.actor_for(world.pupil.user)
    colleague = permissions.actor_for(world.colleague)
    assert staff_change.allows(teacher, Plan, world.plan)
    assert not staff_change.allows(pupil, Plan, world.plan)  # the pupil may change it
    assert permissions.MAY_CHANGE.allows(pupil, Plan, world.plan)
    assert not staff_change.allows(colleague, Plan, world.plan)
    either = permissions.PUPIL | permissions.STAFF
    assert either.allows(pupil, Plan, world.plan) and either.allows(colleague, Plan, None)


def test_could_refuses_by_role_before_any_object_is_known(world):
    assert not permissions.could(world.pupil.user, "move_child", Plan)
    assert permissions.could(world.teacher, "move_child", Plan)
    # A colleague is staff: only the object can refuse them.
    assert permissions.could(world.colleague, "move_child", Plan)
    assert not permissions.could(world.pupil.user, "create", ConversationNote)
    assert permissions.could(world.pupil.user, "change", Plan)
    assert not permissions.could(None, "read", Plan)


@pytest.mark.parametrize(
    "persona,outcome",
    [("teacher", "ok"), ("pupil", 403), ("colleague", 404), ("anonymous", 404)],
)
def test_get_changeable_or_404_hides_what_is_unreadable(world, persona, outcome):
    user = world.user(persona)
    if outcome == "ok":
        lesson = permissions.get_changeable_or_404(user, Lesson, pk=world.lesson.pk)
        assert lesson == world.lesson
        return
    error = PermissionDenied if outcome == 403 else Http404
    with pytest.raises(error):
        permissions.get_changeable_or_404(user, Lesson, pk=world.lesson.pk)


def test_operations_asked_about_a_parent(world):
    teacher, colleague = world.teacher, world.colleague
    assert permissions.can(teacher, "decide_for_pupil", world.pupil, model=LogbookEntry)
    assert not permissions.can(colleague, "decide_for_pupil", world.pupil, model=LogbookEntry)
    assert not permissions.can(
        world.pupil.user, "decide_for_pupil", world.pupil, model=LogbookEntry
    )
    assert permissions.can(world.school_admin, "manage_data", world.pupil)
    assert not permissions.can(teacher, "manage_data", world.pupil)
    assert permissions.creatable_in(teacher, Study, School.objects.all()).count() == 0
    assert list(permissions.creatable_in(world.school_admin, Study, School.objects.all())) == [
        world.school
    ]
