from django.contrib import admin

from classroom.admin import ScopedAdmin

from . import actions
from .models import Activity


@admin.register(Activity)
class ActivityAdmin(ScopedAdmin):
    """The group's corners and activities; boards are composed on the planbord page."""

    list_display = ["name", "group", "capacity", "active"]
    list_filter = ["group", "active"]
    filter_horizontal = ["goals"]
    # The corner's own photo goes through the photo pipeline, on the planbord page.
    exclude = ["photo"]

    def create(self, request, parent, data):
        return actions.create_activity(
            group=parent,
            name=data["name"],
            pictogram=data["pictogram"],
            capacity=data["capacity"],
            goals=data.get("goals", []),
        )

    def update(self, request, obj, data):
        data.pop("group", None)
        actions.update_activity(Activity.objects.get(pk=obj.pk), **data)

    def save_related(self, request, form, formsets, change):
        # Goals were set through the action in save_model.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)
