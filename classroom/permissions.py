"""Who may read and change what, declared once per model.

Each model registers a rule object that answers three questions for an `Actor`:
which rows may it read (a `Q` filter, used for every queryset), may it change this
object, and may it create one inside this group or school. Everything else a user may do
is a named operation declared next to those rules (`register(..., unlock=MAY_CHANGE)` or
`declare_operation`), composed from the basic ones and the roles (`STAFF & MAY_CHANGE`).
The API (through `DeclaredPermission` and `ScopedQuerysetMixin`), the pages (through
`get_readable_or_404`, `get_permitted_or_404` and `require`), the admin (`ScopedAdmin`)
and the WebSocket consumers (through `can`) all ask here and nowhere else.

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

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, reduce
from operator import or_

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.http import Http404
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.permissions import SAFE_METHODS, BasePermission

from .models import (
    AuditRecord,
    FormerGroup,
    Group,
    Lesson,
    Membership,
    Place,
    Pupil,
    Role,
    School,
)


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    is_superuser: bool
    pupil: Pupil | None
    staff_school_ids: frozenset[int]
    admin_school_ids: frozenset[int]
    # The groups of this school year the actor teaches (or runs as the school's admin).
    managed_group_ids: frozenset[int]
    # The same for groups of earlier school years: read, never changed (archived at the
    # school year's turn, classroom/school_year.py).
    archived_group_ids: frozenset[int] = frozenset()

    @property
    def readable_group_ids(self) -> frozenset[int]:
        return self.managed_group_ids | self.archived_group_ids

    @cached_property
    def former_group_ids(self) -> frozenset[int]:
        """A pupil's groups of earlier school years (their doelenboekje's earlier blocks);
        asked only when a rule needs it."""
        if self.pupil is None or not self.pupil.active:
            return frozenset()
        return frozenset(
            FormerGroup.objects.filter(pupil_id=self.pupil.pk).values_list("group_id", flat=True)
        )

    @property
    def is_staff_member(self) -> bool:
        return bool(self.staff_school_ids) or self.is_superuser

    @property
    def pupil_group_id(self) -> int | None:
        return self.pupil.group_id if self.pupil and self.pupil.active else None


ANONYMOUS = Actor(None, False, None, frozenset(), frozenset(), frozenset())


_PUPIL = Pupil.user.field.remote_field  # the account's reverse one-to-one to its pupil


def _loaded_pupil(user) -> Pupil | None:
    """The account's pupil record: as classroom.backends read it with the user, else
    asked for (a user object made elsewhere, e.g. in a test or a command)."""
    if _PUPIL.is_cached(user):
        pupil = _PUPIL.get_cached_value(user)
    else:
        pupil = Pupil.objects.select_related("group").filter(user_id=user.pk).first()
    if pupil is not None:
        pupil.user = user  # the same account: saves asking the database again
    return pupil


def actor_for(user) -> Actor:
    """The roles of a user, computed once per request (cached on the user object)."""
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    cached = getattr(user, "_leerregie_actor", None)
    if cached is not None:
        return cached
    pupil = _loaded_pupil(user)
    staff, admin, managed, archived = set(), set(), set(), set()
    if pupil is None:
        # Memberships and the groups the user runs, in one query: one row per group of
        # each school the user belongs to (a school without groups gives one row).
        teaches = Group.teachers.through.objects.filter(
            group_id=OuterRef("school__groups__id"), user_id=user.pk
        )
        rows = (
            Membership.objects.filter(user_id=user.pk)
            .annotate(teaches=Exists(teaches))
            .values_list(
                "school_id", "role", "school__groups__id", "teaches", "school__groups__archived_at"
            )
        )
        for school_id, role, group_id, teaches_it, archived_at in rows:
            staff.add(school_id)
            if role == Role.SCHOOL_ADMIN:
                admin.add(school_id)
            if group_id is not None and (teaches_it or role == Role.SCHOOL_ADMIN):
                (managed if archived_at is None else archived).add(group_id)
    actor = Actor(
        user_id=user.pk,
        is_superuser=user.is_superuser,
        pupil=pupil,
        staff_school_ids=frozenset(staff),
        admin_school_ids=frozenset(admin),
        managed_group_ids=frozenset(managed),
        archived_group_ids=frozenset(archived),
    )
    user._leerregie_actor = actor
    return actor


def _path_value(obj: Model, path: str):
    for part in path.split("__"):
        obj = getattr(obj, part)
    return obj


def _archived(group_id: int) -> bool:
    """Last year's groups are read-only for the superuser too (asked only for them)."""
    return Group.objects.filter(pk=group_id, archived_at__isnull=False).exists()


class GroupScopedRules:
    """Objects that belong to one group.

    `group_path` leads from the object to its group's id; `pupils_read` says what
    pupils of that group may read: "group" (all of it), "self" (only the row that is
    their own pupil record), "own" (rows whose `owner_path` is their pupil id) or
    "none".
    """

    def __init__(
        self,
        group_path: str,
        pupils_read: str,
        owner_path: str = "pupil_id",
        former_groups: bool = False,
    ):
        self.group_path = group_path
        self.pupils_read = pupils_read
        self.owner_path = owner_path
        # Pupils also read these rows of their groups of earlier school years (the goals
        # of their doelenboekje's earlier blocks).
        self.former_groups = former_groups

    def read_q(self, actor: Actor) -> Q:
        if actor.is_superuser:
            return Q()
        clauses = [Q(**{f"{self.group_path}__in": actor.readable_group_ids})]
        if actor.pupil_group_id is not None:
            if self.pupils_read == "group":
                clauses.append(Q(**{self.group_path: actor.pupil_group_id}))
                if self.former_groups:
                    # A subquery: the list asks nothing more of the database.
                    former = FormerGroup.objects.filter(pupil_id=actor.pupil.pk)
                    clauses.append(Q(**{f"{self.group_path}__in": former.values("group_id")}))
            elif self.pupils_read == "self":
                clauses.append(Q(pk=actor.pupil.pk))
            elif self.pupils_read == "own":
                clauses.append(Q(**{self.owner_path: actor.pupil.pk}))
        return reduce(or_, clauses)

    def group_id(self, obj: Model) -> int:
        return _path_value(obj, self.group_path)

    def can_read(self, actor: Actor, obj: Model) -> bool:
        if actor.is_superuser or self.group_id(obj) in actor.readable_group_ids:
            return True
        if actor.pupil_group_id is None:
            return False
        if self.pupils_read == "group":
            return self.group_id(obj) == actor.pupil_group_id or (
                self.former_groups and self.group_id(obj) in actor.former_group_ids
            )
        if self.pupils_read == "self":
            return obj.pk == actor.pupil.pk
        if self.pupils_read == "own":
            return _path_value(obj, self.owner_path) == actor.pupil.pk
        return False

    def can_change(self, actor: Actor, obj: Model) -> bool:
        if actor.is_superuser:
            return not _archived(self.group_id(obj))
        return self.group_id(obj) in actor.managed_group_ids

    def can_create(self, actor: Actor, parent: Group) -> bool:
        if actor.is_superuser:
            return not _archived(parent.pk)
        return parent.pk in actor.managed_group_ids


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


class MembershipRules:
    """Who works at a school: its admins see and change that; nobody else does."""

    def read_q(self, actor: Actor) -> Q:
        return Q() if actor.is_superuser else Q(school_id__in=actor.admin_school_ids)

    def can_read(self, actor: Actor, obj: Membership) -> bool:
        return actor.is_superuser or obj.school_id in actor.admin_school_ids

    can_change = can_read

    def can_create(self, actor: Actor, parent: School) -> bool:
        return actor.is_superuser or parent.pk in actor.admin_school_ids


class AuditRules:
    """The audit log: the school's admins read their school's records; nobody changes
    or adds one (only `classroom.audit.record` writes, from the actions)."""

    def read_q(self, actor: Actor) -> Q:
        return Q() if actor.is_superuser else Q(school_id__in=actor.admin_school_ids)

    def can_read(self, actor: Actor, obj: AuditRecord) -> bool:
        return actor.is_superuser or obj.school_id in actor.admin_school_ids

    def can_change(self, actor: Actor, obj: AuditRecord) -> bool:
        return False

    def can_create(self, actor: Actor, parent=None) -> bool:
        return False


# --- Operations ---------------------------------------------------------------------


class Rule:
    """One yes/no question about an actor and an object; rules compose with `&` and `|`.

    `test(actor, model, obj)` answers it for the operation's model and the object it is
    asked about (for creating: the parent). A rule about the actor alone (`actor_only`,
    its test takes just the actor) can refuse before any object is looked up, so a pupil
    asking for a teacher's operation hears 403 before the request body is even read.
    """

    def __init__(self, name: str, test: Callable, *, actor_only: bool = False):
        self.name = name
        self._test = test
        self.actor_only = actor_only

    def allows(self, actor: Actor, model: type[Model], obj) -> bool:
        return self._test(actor) if self.actor_only else self._test(actor, model, obj)

    def could_allow(self, actor: Actor) -> bool:
        """False when the actor's roles alone rule it out, whatever the object."""
        return self._test(actor) if self.actor_only else True

    def __and__(self, other: Rule) -> Rule:
        return _AllOf(self, other)

    def __or__(self, other: Rule) -> Rule:
        return _AnyOf(self, other)

    def __repr__(self) -> str:
        return self.name


class _AllOf(Rule):
    def __init__(self, *parts: Rule):
        self.parts = parts
        self.name = " & ".join(part.name for part in parts)
        self.actor_only = all(part.actor_only for part in parts)

    def allows(self, actor, model, obj) -> bool:
        return all(part.allows(actor, model, obj) for part in self.parts)

    def could_allow(self, actor) -> bool:
        return all(part.could_allow(actor) for part in self.parts)


class _AnyOf(Rule):
    def __init__(self, *parts: Rule):
        self.parts = parts
        self.name = "(" + " | ".join(part.name for part in parts) + ")"
        self.actor_only = all(part.actor_only for part in parts)

    def allows(self, actor, model, obj) -> bool:
        return any(part.allows(actor, model, obj) for part in self.parts)

    def could_allow(self, actor) -> bool:
        return any(part.could_allow(actor) for part in self.parts)


def _is_staff(actor: Actor) -> bool:
    return actor.pupil is None and actor.is_staff_member


def _is_active_pupil(actor: Actor) -> bool:
    return actor.pupil is not None and actor.pupil.active


# The basic rules: the object's own model answers (for MAY_CREATE: the operation's model,
# asked about the parent).
MAY_READ = Rule("may read", lambda actor, model, obj: rules_for(type(obj)).can_read(actor, obj))
MAY_CHANGE = Rule(
    "may change", lambda actor, model, obj: rules_for(type(obj)).can_change(actor, obj)
)
MAY_CREATE = Rule(
    "may create in", lambda actor, model, parent: rules_for(model).can_create(actor, parent)
)
# The roles.
STAFF = Rule("staff", _is_staff, actor_only=True)  # teachers, school admins, the superuser
PUPIL = Rule("pupil", _is_active_pupil, actor_only=True)


def checked_by(method: str) -> Rule:
    """A rule answered by a method of the model's rule object, e.g. `can_export`."""
    return Rule(method, lambda actor, model, obj: getattr(rules_for(model), method)(actor, obj))


def school_admin_of(school_path: str) -> Rule:
    """The admins of the school the object belongs to (`school_path` leads to its id)."""
    return Rule(
        "school admin",
        lambda actor, model, obj: (
            actor.is_superuser or _path_value(obj, school_path) in actor.admin_school_ids
        ),
    )


BASIC_OPERATIONS = {"read": MAY_READ, "change": MAY_CHANGE, "create": MAY_CREATE}
RULES: dict[type[Model], object] = {}
OPERATIONS: dict[type[Model], dict[str, Rule]] = {}


def register(model: type[Model], rules, **operations: Rule) -> None:
    """Declare a model's rules and its named operations, next to the model's app.

    Every model has `read`, `change` and `create`; `operations` adds the others (and may
    narrow `change` or `create`, e.g. `create=STAFF & MAY_CREATE`)."""
    RULES[model] = rules
    OPERATIONS[model] = dict(BASIC_OPERATIONS)
    for name, rule in operations.items():
        declare_operation(model, name, rule)


def declare_operation(model: type[Model], name: str, rule: Rule) -> None:
    """An operation on a model whose rules are declared (a higher app may add one to a
    lower app's model: research declares who manages a pupil's data)."""
    if name == "read":
        # Reading is the rules' read_q, so that lists and single objects always agree.
        raise ValueError("'read' is declared by the rules' read_q, not as an operation")
    rules_for(model)
    OPERATIONS[model][name] = rule


def rules_for(model: type[Model]):
    try:
        return RULES[model]
    except KeyError:
        raise LookupError(f"no permission rules declared for {model.__name__}") from None


def operations_of(model: type[Model]) -> dict[str, Rule]:
    rules_for(model)
    return dict(OPERATIONS[model])


def operation(model: type[Model], name: str) -> Rule:
    rules_for(model)
    try:
        return OPERATIONS[model][name]
    except KeyError:
        raise LookupError(f"{model.__name__} has no operation {name!r}") from None


# Pupils and teachers from the school's administration (classroom/roster.py,
# staff_roster.py), staff's second factor and the school year's turn: its admins.
register(
    School,
    SchoolRules(),
    import_roster=MAY_CHANGE,
    manage_second_factor=MAY_CHANGE,
    turn_school_year=MAY_CHANGE,
)
register(Membership, MembershipRules())
register(AuditRecord, AuditRules())
register(Group, GroupRules(), new_class_code=MAY_CHANGE)
register(
    Pupil,
    GroupScopedRules(group_path="group_id", pupils_read="self"),
    unlock=MAY_CHANGE,
    new_picture_code=MAY_CHANGE,
)
register(Place, GroupScopedRules(group_path="group_id", pupils_read="group"))
# Which groups a pupil was in before (written only by the school year's turn).
register(FormerGroup, GroupScopedRules(group_path="pupil__group_id", pupils_read="own"))
# The dashboard and its events name pupils and their choices: the lesson's teachers only.
register(
    Lesson,
    GroupScopedRules(group_path="group_id", pupils_read="group"),
    run=MAY_CHANGE,
    view_dashboard=MAY_CHANGE,
)


def readable(user, queryset: QuerySet) -> QuerySet:
    actor = actor_for(user)
    if actor is ANONYMOUS:
        return queryset.none()
    return queryset.filter(rules_for(queryset.model).read_q(actor)).distinct()


def can(user, name: str, obj, *, model: type[Model] | None = None) -> bool:
    """May the user do operation `name` on `obj`? `model` is the operation's model when
    `obj` is not one of its rows (creating: the parent; `decide_for_pupil`: the pupil)."""
    model = model or type(obj)
    rule = operation(model, name)
    actor = actor_for(user)
    return actor is not ANONYMOUS and rule.allows(actor, model, obj)


def could(user, name: str, model: type[Model]) -> bool:
    """Whether the user's roles leave operation `name` on `model` possible at all: asked
    before the object is known, so that who may never do it is refused first."""
    rule = operation(model, name)
    actor = actor_for(user)
    return actor is not ANONYMOUS and rule.could_allow(actor)


def require(user, name: str, obj, *, model: type[Model] | None = None) -> None:
    if not can(user, name, obj, model=model):
        raise PermissionDenied


def can_read(user, obj: Model) -> bool:
    return can(user, "read", obj)


def can_change(user, obj: Model) -> bool:
    return can(user, "change", obj)


def can_create(user, model: type[Model], parent) -> bool:
    return can(user, "create", parent, model=model)


def creatable_in(user, model: type[Model], parents: QuerySet) -> QuerySet:
    """The parents (schools, groups) the user may create a `model` in: a form's choices."""
    ids = [parent.pk for parent in readable(user, parents) if can_create(user, model, parent)]
    return parents.filter(pk__in=ids)


def may_create_somewhere(user, model: type[Model], parents: QuerySet) -> bool:
    """Whether there is a parent the user may create a `model` in: an "add" button."""
    return any(can_create(user, model, parent) for parent in readable(user, parents).iterator())


# --- Who the user is (which page, which serializer; access itself is asked above) ------


def pupil_of(user) -> Pupil | None:
    """The pupil record the user logs in as; None for grown-ups."""
    return actor_for(user).pupil


def is_pupil(user) -> bool:
    return pupil_of(user) is not None


def is_active_pupil(user) -> bool:
    return _is_active_pupil(actor_for(user))


def is_staff_member(user) -> bool:
    """Teachers and school admins of some school, and the installation's superuser."""
    return _is_staff(actor_for(user))


def is_superuser(user) -> bool:
    """The installation's own admin account (the usage-event log is theirs alone)."""
    return actor_for(user).is_superuser


def describe(user) -> dict:
    """The user's role and the schools and groups their rights come from (/api/me/)."""
    actor = actor_for(user)
    role = "superuser" if actor.is_superuser else ("pupil" if actor.pupil else "staff")
    return {
        "role": role,
        "pupil": actor.pupil,
        "school_ids": sorted(actor.staff_school_ids),
        "managed_group_ids": sorted(actor.managed_group_ids),
    }


def acting_pupil(user, model: type[Model]) -> Pupil:
    """The pupil who writes `model` for themselves (a mark, a plan, a photo); anyone else,
    teachers included, is refused: these writes are the child's own."""
    pupil = pupil_of(user)
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


def get_permitted_or_404(user, name: str, model_or_queryset, **lookup):
    """The object if the user may read it and do operation `name` on it: 404 when it is
    not readable (nothing leaks its existence), 403 when readable but not permitted."""
    obj = get_readable_or_404(user, model_or_queryset, **lookup)
    require(user, name, obj)
    return obj


def get_changeable_or_404(user, model_or_queryset, **lookup):
    """`get_permitted_or_404` for `change`: 404 when unreadable, 403 when read-only."""
    return get_permitted_or_404(user, "change", model_or_queryset, **lookup)


def require_change(user, obj: Model) -> None:
    require(user, "change", obj)


def require_create(user, model: type[Model], parent) -> None:
    require(user, "create", parent, model=model)


# A viewset's `create_parent` for a pupil's own writes: the parent is the writer.
ACTING_PUPIL = "<the acting pupil>"


def operation_of(view, method: str) -> str:
    """The operation a request asks of a viewset's model: the view's `operations[action]`
    when it names one, else `create` for creating, `read` for safe methods and `change`
    for the other writes."""
    action = getattr(view, "action", None)
    named = getattr(view, "operations", {}).get(action)
    if named:
        return named
    if action == "create":
        return "create"
    return "read" if method in SAFE_METHODS else "change"


class DeclaredPermission(BasePermission):
    """The one DRF permission class: logged in, then the model's declared operations.

    - A detail route finds its object first (unreadable: 404), then asks the operation
      about it (`has_object_permission`: 403 when refused).
    - Any other route refuses at once an operation the user's roles rule out (a pupil
      asking for a teacher's operation: 403, before the body is read).
    - Creating with a declared `create_parent` (the serializer field holding the school,
      group or pupil the new row belongs to, or ACTING_PUPIL for a pupil's own writes)
      asks the model's create rule about that parent. A parent the user cannot read is
      left to the serializer, which answers 400 as for any unknown id.
    Routes that find their object otherwise (in the request body) ask `require` there.
    """

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        queryset = getattr(view, "queryset", None)
        if queryset is None or getattr(view, "detail", False):
            return True
        model = queryset.model
        name = operation_of(view, request.method)
        if not could(request.user, name, model):
            return False
        field = getattr(view, "create_parent", None) if view.action == "create" else None
        if field is None:
            return True
        if field == ACTING_PUPIL:
            pupil = pupil_of(request.user)
            return pupil is not None and can(request.user, name, pupil, model=model)
        parent = _parent_in_body(request, view, field)
        return parent is None or can(request.user, name, parent, model=model)

    def has_object_permission(self, request, view, obj) -> bool:
        return can(request.user, operation_of(view, request.method), obj)


def _parent_in_body(request, view, field_name: str):
    """The parent named in the body, through the serializer's own field (so with its
    scoping); None when absent or unknown: the serializer reports that."""
    data = request.data
    raw = data.get(field_name) if hasattr(data, "get") else None
    if raw is None:
        return None
    field = view.get_serializer().fields[field_name]
    try:
        return field.to_internal_value(raw)
    except (DRFValidationError, ValidationError):
        return None


class ScopedQuerysetMixin:
    """Restricts a viewset's queryset to the rows the requesting user may read."""

    def get_queryset(self):
        return readable(self.request.user, super().get_queryset())
