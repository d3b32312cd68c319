"""Beheer for blocks and goals, scoped like the rest; goals arrive by CSV import. A
lesson's form in Beheer gets its goal options here, saved through the same action."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from classroom import admin as classroom_admin
from classroom import permissions
from classroom.admin import ScopedAdmin
from classroom.inputs import SafeModelMultipleChoiceField
from classroom.models import Group, Lesson

from . import actions
from .importer import ImportFailed, import_goals
from .models import Block, Goal, RubricLevel


class ImportForm(forms.Form):
    group = forms.ModelChoiceField(queryset=Group.objects.none(), label=_("Group"))
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: strand, block, code, statement, description, level_1 … level_5 "
            "(Dutch names work too). See docs/examples/."
        ),
    )


@admin.register(Block)
class BlockAdmin(ScopedAdmin):
    list_display = ["name", "group", "start_date", "end_date"]
    list_filter = ["group"]
    change_list_template = "admin/goals/block/change_list.html"

    def create(self, request, parent, data):
        return actions.create_block(
            group=parent,
            name=data["name"],
            start_date=data["start_date"],
            end_date=data["end_date"],
        )

    def update(self, request, obj, data):
        data.pop("group", None)
        actions.update_block(Block.objects.get(pk=obj.pk), **data)

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="goals_block_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        """Upload a CSV of goals for one of the user's groups: all rows or nothing."""
        groups = permissions.creatable_in(request.user, Goal, Group.objects.all())
        form = ImportForm(request.POST or None, request.FILES or None)
        form.fields["group"].queryset = groups
        errors = []
        if request.method == "POST" and form.is_valid():
            try:
                goals = import_goals(form.cleaned_data["group"], form.cleaned_data["file"].read())
            except ImportFailed as failure:
                errors = failure.errors
            else:
                self.message_user(
                    request,
                    _("%(count)s goals imported.") % {"count": len(goals)},
                    messages.SUCCESS,
                )
                return redirect(reverse("admin:goals_goal_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "errors": errors,
            "title": _("Import goals"),
            "opts": self.model._meta,
        }
        return render(request, "admin/goals/import.html", context)


class RubricLevelInline(admin.TabularInline):
    model = RubricLevel
    extra = 0
    fields = ["position", "descriptor", "icon"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Goal)
class GoalAdmin(ScopedAdmin):
    """Goals are read here; they are made by importing a CSV file, and in the app."""

    parent_field = "block"
    list_display = ["code", "statement", "block", "strand"]
    list_filter = ["block__group", "block"]
    search_fields = ["code", "statement"]
    inlines = [RubricLevelInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class LessonForm(forms.ModelForm):
    # Offered only from the goals the user may read, on a lesson's page only its group's
    # (classroom.admin.ScopedAdmin.get_form); set through actions.set_goal_options.
    goal_options = SafeModelMultipleChoiceField(
        queryset=Goal.objects.all(),
        required=False,
        label=_("goal options"),
        widget=FilteredSelectMultiple(_("goal options"), is_stacked=False),
    )

    class Meta:
        model = Lesson
        fields = [
            "group",
            "title",
            "subject",
            "date",
            "goal_openness",
            "instruction_openness",
            "place_openness",
            "partner_openness",
            "order_openness",
            "differentiation",
            "fixed_instruction",
            "goal_options",
            "place_options",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["goal_options"].initial = [
                goal.pk for goal in self.instance.goal_options.all()
            ]


admin.site.unregister(Lesson)


@admin.register(Lesson)
class LessonAdmin(classroom_admin.LessonAdmin):
    form = LessonForm
    option_fields = {**classroom_admin.LessonAdmin.option_fields, "goal_options": "goals"}
