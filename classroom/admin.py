"""Django admin for the classroom domain.

The admin is scoped by the same declared permissions as the API and the pages: a
school admin (a staff member with `is_staff`) sees and changes only their own school;
the installation's superuser sees everything. Saving goes through actions.
"""

import copy

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import actions, images, permissions
from .beheer import may_open_beheer
from .inputs import SafeModelMultipleChoiceField, in_school_calendar
from .models import AuditRecord, Group, Lesson, Membership, Place, Pupil, School, UsageEvent

User = get_user_model()


def staff_of(schools):
    """The staff (teachers and school admins) of these schools: who may teach a group."""
    return User.objects.filter(memberships__school__in=schools).distinct().order_by("username")


class RefusalsOnTheForm:
    """An action's refusal (a ValidationError, e.g. a place option of another group) is
    the form's error, never a 500. The admin saves in one transaction: the refused attempt
    is rolled back whole, and the same POST is shown again with the refusal on top."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as refusal:
            if request.method != "POST" or hasattr(request, "_leerregie_refusal"):
                raise
            request._leerregie_refusal = refusal
        for upload in request.FILES.values():
            upload.seek(0)  # read by the refused attempt
        return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        refusal = getattr(request, "_leerregie_refusal", None)
        if refusal is None:
            return form

        class Refused(form):
            def clean(self):
                cleaned = super().clean()
                self.add_error(None, refusal.messages)
                return cleaned

        return Refused


class ScopedFilters:
    """List filters over a relation offer only what the user's own rows point at (a
    school admin's "group" filter lists her school's groups, never another school's)."""

    def get_list_filter(self, request):
        filters = []
        for entry in super().get_list_filter(request):
            if isinstance(entry, str):
                field = get_fields_from_path(self.model, entry)[-1]
                if field.is_relation:
                    entry = (entry, admin.RelatedOnlyFieldListFilter)
            filters.append(entry)
        return filters


class ScopedAdmin(RefusalsOnTheForm, ScopedFilters, admin.ModelAdmin):
    """Rows and rights come from classroom.permissions, not from Django's model perms.

    Subclasses define `create(request, parent, data)` and `update(request, obj, data)`,
    which call the model's actions. Every choice a form offers is a row the user may
    read; on an object of a group, the options (places, goals) are that group's own.
    """

    parent_field = "group"
    # An object stays in the group (school) it was made in; PupilAdmin moves pupils.
    moves_to_another_parent = False

    def get_queryset(self, request):
        return permissions.readable(request.user, super().get_queryset(request))

    def has_module_permission(self, request):
        return (
            permissions.is_staff_member(request.user)
            and request.user.is_staff
            and may_open_beheer(request.user)
        )

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and self.parent_field and not self.moves_to_another_parent:
            fields.append(self.parent_field)
        return fields

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        group_id = getattr(obj, "group_id", None)
        for name, field in list(form.base_fields.items()):
            queryset = getattr(field, "queryset", None)
            rules = permissions.RULES.get(getattr(queryset, "model", None))
            if rules is None:
                continue
            # A copy: a field declared on the form class is shared by every request.
            field = form.base_fields[name] = copy.deepcopy(field)
            queryset = permissions.readable(request.user, queryset)
            path = getattr(rules, "group_path", None)
            if group_id is not None and path and name != self.parent_field:
                queryset = queryset.filter(**{path: group_id})
            field.queryset = queryset
        return form

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return self.has_module_permission(request)
        return permissions.can_read(request.user, obj)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return self.has_module_permission(request)
        return permissions.can_change(request.user, obj)

    def has_add_permission(self, request):
        # Adding needs a parent (a group, a school) the user may create in; which one is
        # checked again on save.
        parent_model = self.model._meta.get_field(self.parent_field).remote_field.model
        return self.has_module_permission(request) and permissions.may_create_somewhere(
            request.user, self.model, parent_model.objects.all()
        )

    def has_delete_permission(self, request, obj=None):
        return False

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if type(db_field) is models.DateField and field is not None:
            # A lesson, block or board on a day a school plans for (as in the app).
            field.validators.append(in_school_calendar)
        return field

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        model = db_field.remote_field.model
        if model in permissions.RULES:
            kwargs["queryset"] = permissions.readable(request.user, model.objects.all())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        # Only what the user may read: another school's places or goals are no option.
        model = db_field.remote_field.model
        if model in permissions.RULES:
            kwargs["queryset"] = permissions.readable(request.user, model.objects.all())
        # A posted id that is no number the database holds ("9" * 30) is an invalid
        # choice, not a 500.
        kwargs.setdefault("form_class", SafeModelMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        # The model form has already checked fields and constraints; the action writes.
        data = {f: form.cleaned_data[f] for f in form.changed_data if f in form.cleaned_data}
        if change:
            self.update(request, obj, data)
        else:
            parent = form.cleaned_data[self.parent_field]
            permissions.require_create(request.user, type(obj), parent)
            obj.pk = self.create(request, parent, form.cleaned_data).pk


@admin.register(School)
class SchoolAdmin(ScopedAdmin):
    list_display = ["name", "city", "teachers_use_beheer"]
    fields = ["name", "city", "teachers_use_beheer"]
    parent_field = None

    def has_add_permission(self, request):
        return permissions.can_create(request.user, School, None)

    def save_model(self, request, obj, form, change):
        if change:
            actions.update_school(
                School.objects.get(pk=obj.pk),
                name=obj.name,
                city=obj.city,
                teachers_use_beheer=obj.teachers_use_beheer,
            )
        else:
            obj.pk = actions.create_school(
                name=obj.name, city=obj.city, teachers_use_beheer=obj.teachers_use_beheer
            ).pk


@admin.register(Membership)
class MembershipAdmin(RefusalsOnTheForm, ScopedFilters, admin.ModelAdmin):
    """A school admin gives the school's staff their role, and staff of another school
    of theirs a place here; new accounts are the installation's superuser's to make."""

    list_display = ["user", "school", "role"]
    list_filter = ["role", "school"]

    def get_queryset(self, request):
        return permissions.readable(request.user, super().get_queryset(request))

    def _admin(self, request):
        return request.user.is_staff and permissions.may_create_somewhere(
            request.user, Membership, School.objects.all()
        )

    def has_module_permission(self, request):
        return bool(self._admin(request))

    has_view_permission = has_change_permission = has_add_permission = (
        lambda self, request, obj=None: bool(self._admin(request))
    )

    def has_delete_permission(self, request, obj=None):
        return bool(self._admin(request))

    def get_readonly_fields(self, request, obj=None):
        # A membership is one person at one school; another is added, not moved here.
        return ["user", "school"] if obj else []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        schools = permissions.creatable_in(request.user, Membership, School.objects.all())
        if db_field.name == "school":
            kwargs["queryset"] = schools
        elif db_field.name == "user":
            kwargs["queryset"] = (
                User.objects.filter(pupil__isnull=True).order_by("username")
                if permissions.is_superuser(request.user)
                else staff_of(schools)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        permissions.require_create(request.user, Membership, obj.school)
        membership = actions.set_membership(school=obj.school, user=obj.user, role=obj.role)
        obj.pk = membership.pk

    def delete_model(self, request, obj):
        actions.remove_membership(obj)


class PlaceInline(admin.TabularInline):
    model = Place
    extra = 0
    fields = ["name", "icon", "capacity"]
    # Places are edited on their own page, so that saving goes through actions.
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Group)
class GroupAdmin(ScopedAdmin):
    list_display = ["name", "years_label", "school", "school_year_label", "class_code"]
    list_filter = ["school", "school_year"]
    readonly_fields = ["class_code"]
    filter_horizontal = ["teachers"]
    fields = [
        "school",
        "name",
        "year_from",
        "year_to",
        "picture_code_length",
        "language",
        "class_code",
        "teachers",
    ]

    def get_readonly_fields(self, request, obj=None):
        # A group never moves to another school.
        return ["class_code", "school"] if obj else ["class_code"]

    parent_field = "school"
    inlines = [PlaceInline]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "teachers":
            # Staff of the user's schools, never every account of the installation.
            kwargs["queryset"] = staff_of(permissions.readable(request.user, School.objects.all()))
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is not None and "teachers" in form.base_fields:
            # Who may teach this group: its own school's staff (actions.assign_teacher).
            teachers = form.base_fields["teachers"] = copy.deepcopy(form.base_fields["teachers"])
            teachers.queryset = teachers.queryset.filter(memberships__school=obj.school_id)
        return form

    actions = ["new_class_code"]

    def create(self, request, parent, data):
        return actions.create_group(
            school=parent,
            name=data["name"],
            year_from=data["year_from"],
            year_to=data["year_to"],
            picture_code_length=data["picture_code_length"],
            language=data.get("language"),
            teachers=data.get("teachers", []),
        )

    def update(self, request, obj, data):
        teachers = data.pop("teachers", None)
        data.pop("school", None)
        fresh = Group.objects.get(pk=obj.pk)
        actions.update_group(fresh, **data)
        if teachers is not None:
            for user in set(fresh.teachers.all()) - set(teachers):
                actions.unassign_teacher(group=fresh, user=user)
            for user in teachers:
                actions.assign_teacher(group=fresh, user=user)

    def save_related(self, request, form, formsets, change):
        # Teachers were assigned through actions in save_model; skip the form's m2m save.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    @admin.action(description=_("New class code"))
    def new_class_code(self, request, queryset):
        for group in queryset:
            if permissions.can(request.user, "new_class_code", group):
                actions.regenerate_class_code(group)


class PupilAdminForm(forms.ModelForm):
    new_photo = forms.ImageField(label=_("New photo"), required=False)

    class Meta:
        model = Pupil
        fields = ["group", "display_name", "avatar", "avatar_colour", "active"]


@admin.register(Pupil)
class PupilAdmin(ScopedAdmin):
    form = PupilAdminForm
    list_display = ["display_name", "group", "active", "is_locked_now"]
    list_filter = ["group__school", "group", "active"]
    search_fields = ["display_name"]
    readonly_fields = ["picture_code", "locked_until"]
    actions = ["new_picture_codes", "unlock"]
    moves_to_another_parent = True  # to another group the user manages

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # The admin saves inside one transaction: decode a new portrait before it, so
        # that the action inside only meets a small, clean JPEG (classroom.images).
        upload = request.FILES.get("new_photo") if request.method == "POST" else None
        if upload is not None:
            try:
                clean = images.clean_portrait(upload)
            except ValidationError:
                upload.seek(0)  # refused again, with its message, by the form and action
            else:
                request.FILES["new_photo"] = SimpleUploadedFile(
                    "portrait.jpg", clean.read(), content_type="image/jpeg"
                )
        return super().changeform_view(request, object_id, form_url, extra_context)

    @admin.display(boolean=True, description=_("locked"))
    def is_locked_now(self, pupil):
        return pupil.is_locked()

    def create(self, request, parent, data):
        pupil = actions.create_pupil(
            group=parent,
            display_name=data["display_name"],
            avatar=data.get("avatar") or None,
            avatar_colour=data.get("avatar_colour") or None,
            active=data.get("active", True),
        )
        if data.get("new_photo"):
            actions.set_pupil_photo(pupil, data["new_photo"])
        return pupil

    def update(self, request, obj, data):
        photo = data.pop("new_photo", None)
        fresh = Pupil.objects.get(pk=obj.pk)
        if "group" in data:
            permissions.require_create(request.user, Pupil, data["group"])
        actions.update_pupil(fresh, **data)
        if photo:
            actions.set_pupil_photo(fresh, photo)

    @admin.action(description=_("New picture code"))
    def new_picture_codes(self, request, queryset):
        for pupil in queryset:
            if permissions.can(request.user, "new_picture_code", pupil):
                actions.reset_picture_code(pupil)

    @admin.action(description=_("Unlock"))
    def unlock(self, request, queryset):
        for pupil in queryset:
            if permissions.can(request.user, "unlock", pupil):
                actions.unlock_pupil(pupil)


@admin.register(Place)
class PlaceAdmin(ScopedAdmin):
    list_display = ["name", "group", "icon", "capacity"]
    list_filter = ["group"]

    def has_delete_permission(self, request, obj=None):
        return obj is not None and permissions.can_change(request.user, obj)

    def delete_model(self, request, obj):
        actions.delete_place(obj)

    def create(self, request, parent, data):
        return actions.create_place(
            group=parent, name=data["name"], icon=data["icon"], capacity=data.get("capacity")
        )

    def update(self, request, obj, data):
        data.pop("group", None)
        actions.update_place(Place.objects.get(pk=obj.pk), **data)


@admin.register(Lesson)
class LessonAdmin(ScopedAdmin):
    list_display = ["title", "group", "date", "subject", "differentiation"]
    list_filter = ["group", "subject"]
    date_hierarchy = "date"
    filter_horizontal = ["place_options"]

    def has_delete_permission(self, request, obj=None):
        # A lesson that was given keeps the pupils' logbooks (actions.delete_lesson).
        return (
            obj is not None and obj.started_at is None and permissions.can_change(request.user, obj)
        )

    def delete_model(self, request, obj):
        actions.delete_lesson(obj)

    # Form field -> the lesson option it sets through the action (which checks that the
    # options are the lesson's group's); goals.admin adds the goal options.
    option_fields = {"place_options": "places"}

    def _settings(self, data) -> dict:
        """Fields and options, for the action."""
        settings = {k: v for k, v in data.items() if k in actions.LESSON_FIELDS}
        for field, option in self.option_fields.items():
            if field in data:
                settings[option] = list(data[field])
        return settings

    def create(self, request, parent, data):
        return actions.create_lesson(group=parent, **self._settings(data))

    def update(self, request, obj, data):
        actions.configure_lesson(Lesson.objects.get(pk=obj.pk), **self._settings(data))

    def save_related(self, request, form, formsets, change):
        # The options went through the action in save_model; skip the form's m2m save,
        # which would write them past its check and without an event.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


class ReadOnly:
    """A log nobody adds to, changes or deletes from by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(UsageEvent)
class UsageEventAdmin(ReadOnly, admin.ModelAdmin):
    """Read-only: the log is append-only. Only the installation's superuser sees it."""

    list_display = ["time", "verb", "object_type", "object_id", "group"]
    list_filter = ["verb"]

    def has_module_permission(self, request):
        return permissions.is_superuser(request.user)

    def has_view_permission(self, request, obj=None):
        return permissions.is_superuser(request.user)


@admin.register(AuditRecord)
class AuditRecordAdmin(ReadOnly, ScopedFilters, admin.ModelAdmin):
    """Read-only: who exported, changed consent, erased or downloaded a pupil's data.
    A school admin reads their own school's records; nobody changes one."""

    list_display = ["time", "action", "actor_label", "school", "group", "study_id", "detail"]
    list_filter = ["action", "school"]
    readonly_fields = list_display

    def get_queryset(self, request):
        return permissions.readable(request.user, super().get_queryset(request))

    def has_module_permission(self, request):
        actor = permissions.actor_for(request.user)
        return request.user.is_staff and (actor.is_superuser or bool(actor.admin_school_ids))

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return self.has_module_permission(request)
        return self.has_module_permission(request) and permissions.can_read(request.user, obj)
