"""Who may read and change what, declared once per model.

Each model registers a rule object that answers three questions for an `Actor`:
which rows may it read (a `Q` filter, used for every queryset), may it change this
object, and may it create one inside this group or school. The API (through
`DeclaredPermission` and `ScopedQuerysetMixin`), the pages (through `get_readable_or_404`
and `require_change`) and the WebSocket consumers (through `can_read`) all ask here and
nowhere else.

The roles:
- a teacher manages the groups they teach in a school where they are staff;
- a school admin manages every group of their school;
- a pupil reads their own group's groups, places and lessons, and only their own
  pupil record; a classmate's record is invisible;
- a colleague who does not teach a group sees nothing of it;
- a superuser (the Django admin account of the installation) sees everything.
Objects an actor may not read are answered with 404, objects it may read but not
change with 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, Q, QuerySet
from django.http import Http404
from rest_framework.permissions import SAFE_METHODS, BasePermission

from .models import Group, Lesson, Membership, Place, Pupil, Role, School


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    is_superuser: bool
    pupil: Pupil | None
    staff_school_ids: frozenset[int]
    admin_school_ids: frozenset[int]
    managed_group_ids: frozenset[int]

    @property
    def is_staff_member(self) -> bool:
        return bool(self.staff_school_ids) or self.is_superuser

    @property
    def pupil_group_id(self) -> int | None:
        return self.pupil.group_id if self.pupil and self.pupil.active else None


ANONYMOUS = Actor(None, False, None, frozenset(), frozenset(), frozenset())


def actor_for(user) -> Actor:
    """The roles of a user, computed once per request (cached on the user object)."""
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    cached = getattr(user, "_leerregie_actor", None)
    if cached is not None:
        return cached
    pupil = Pupil.objects.select_related("group").filter(user_id=user.pk).first()
    if pupil is not None:
        pupil.user = user  # the same account: saves asking the database again
    staff, admin = set(), set()
    if pupil is None:
        for school_id, role in Membership.objects.filter(user_id=user.pk).values_list(
            "school_id", "role"
        ):
            staff.add(school_id)
            if role == Role.SCHOOL_ADMIN:
                admin.add(school_id)
    managed: set[int] = set()
    if staff:
        managed = set(
            Group.objects.filter(
                Q(school_id__in=admin) | Q(school_id__in=staff, teachers__id=user.pk)
            ).values_list("id", flat=True)
        )
    actor = Actor(
        user_id=user.pk,
        is_superuser=user.is_superuser,
        pupil=pupil,
        staff_school_ids=frozenset(staff),
        admin_school_ids=frozenset(admin),
        managed_group_ids=frozenset(managed),
    )
    user._leerregie_actor = actor
    return actor


def _path_value(obj: Model, path: str):
    for part in path.split("__"):
        obj = getattr(obj, part)
    return obj


class GroupScopedRules:
    """Objects that belong to one group.

    `group_path` leads from the object to its group's id; `pupils_read` says what
    pupils of that group may read: "group" (all of it), "self" (only the row that is
    their own pupil record), "own" (rows whose `owner_path` is their pupil id) or
    "none".
    """

    def __init__(self, group_path: str, pupils_read: str, owner_path: str = "pupil_id"):
        self.group_path = group_path
        self.pupils_read = pupils_read
        self.owner_path = owner_path

    def read_q(self, actor: Actor) -> Q:
        if actor.is_superuser:
            return Q()
        clauses = [Q(**{f"{self.group_path}__in": actor.managed_group_ids})]
        if actor.pupil_group_id is not None:
            if self.pupils_read == "group":
                clauses.append(Q(**{self.group_path: actor.pupil_group_id}))
            elif self.pupils_read == "self":
                clauses.append(Q(pk=actor.pupil.pk))
            elif self.pupils_read == "own":
                clauses.append(Q(**{self.owner_path: actor.pupil.pk}))
        return reduce(or_, clauses)

    def group_id(self, obj: Model) -> int:
        return _path_value(obj, self.group_path)

    def can_read(self, actor: Actor, obj: Model) -> bool:
        if actor.is_superuser or self.group_id(obj) in actor.managed_group_ids:
            return True
        if actor.pupil_group_id is None:
            return False
        if self.pupils_read == "group":
            return self.group_id(obj) == actor.pupil_group_id
        if self.pupils_read == "self":
            return obj.pk == actor.pupil.pk
        if self.pupils_read == "own":
            return _path_value(obj, self.owner_path) == actor.pupil.pk
        return False

    def can_change(self, actor: Actor, obj: Model) -> bool:
        return actor.is_superuser or self.group_id(obj) in actor.managed_group_ids

    def can_create(self, actor: Actor, parent: Group) -> bool:
        return actor.is_superuser or parent.pk in actor.managed_group_ids


class GroupRules(GroupScopedRules):
    """Groups: read like anything in them; only a school admin creates one."""

    def __init__(self):
        super().__init__(group_path="pk", pupils_read="group")

    def can_create(self, actor: Actor, parent: School) -> bool:
        return actor.is_superuser or parent.pk in actor.admin_school_ids


class SchoolRules:
    def read_q(self, actor: Actor) -> Q:
        if actor.is_superuser:
            return Q()
        return Q(pk__in=actor.staff_school_ids)

    def can_read(self, actor: Actor, obj: School) -> bool:
        return actor.is_superuser or obj.pk in actor.staff_school_ids

    def can_change(self, actor: Actor, obj: School) -> bool:
        return actor.is_superuser or obj.pk in actor.admin_school_ids

    def can_create(self, actor: Actor, parent=None) -> bool:
        return actor.is_superuser


RULES = {
    School: SchoolRules(),
    Group: GroupRules(),
    Pupil: GroupScopedRules(group_path="group_id", pupils_read="self"),
    Place: GroupScopedRules(group_path="group_id", pupils_read="group"),
    Lesson: GroupScopedRules(group_path="group_id", pupils_read="group"),
}


def register(model: type[Model], rules) -> None:
    """Later apps declare their models' rules here, next to their models."""
    RULES[model] = rules


def rules_for(model: type[Model]):
    try:
        return RULES[model]
    except KeyError:
        raise LookupError(f"no permission rules declared for {model.__name__}") from None


def readable(user, queryset: QuerySet) -> QuerySet:
    actor = actor_for(user)
    if actor is ANONYMOUS:
        return queryset.none()
    return queryset.filter(rules_for(queryset.model).read_q(actor)).distinct()


def can_read(user, obj: Model) -> bool:
    actor = actor_for(user)
    return actor is not ANONYMOUS and rules_for(type(obj)).can_read(actor, obj)


def can_change(user, obj: Model) -> bool:
    actor = actor_for(user)
    return actor is not ANONYMOUS and rules_for(type(obj)).can_change(actor, obj)


def can_create(user, model: type[Model], parent) -> bool:
    actor = actor_for(user)
    return actor is not ANONYMOUS and rules_for(model).can_create(actor, parent)


def acting_pupil(user, model: type[Model]) -> Pupil:
    """The pupil who writes `model` for themselves (a mark, a plan, a photo); anyone else,
    teachers included, is refused: these writes are the child's own."""
    pupil = actor_for(user).pupil
    if pupil is None or not can_create(user, model, pupil):
        raise PermissionDenied
    return pupil


def get_readable_or_404(user, model_or_queryset, **lookup):
    """The object if the user may read it; 404 otherwise, so nothing leaks its existence."""
    queryset = (
        model_or_queryset
        if isinstance(model_or_queryset, QuerySet)
        else model_or_queryset._default_manager.all()
    )
    try:
        obj = readable(user, queryset).filter(**lookup).first()
    except (ValueError, TypeError, ValidationError):
        # A malformed id ("abc" from a tampered form) finds nothing, like any unknown one.
        raise Http404 from None
    if obj is None:
        raise Http404
    return obj


def require_change(user, obj: Model) -> None:
    if not can_change(user, obj):
        raise PermissionDenied


def require_create(user, model: type[Model], parent) -> None:
    if not can_create(user, model, parent):
        raise PermissionDenied


class DeclaredPermission(BasePermission):
    """The one DRF permission class: logged in, then the model's declared rules."""

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated)

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in SAFE_METHODS:
            return can_read(request.user, obj)
        return can_change(request.user, obj)


class ScopedQuerysetMixin:
    """Restricts a viewset's queryset to the rows the requesting user may read."""

    def get_queryset(self):
        return readable(self.request.user, super().get_queryset())
