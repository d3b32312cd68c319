"""Pupils of one class who share a picture and colour get a pair of their own; the
first of each pair (by when they were added) keeps theirs, nobody else changes."""

from django.db import migrations

from classroom.pictograms import distinct_avatar


def reassign_duplicates(apps, schema_editor):
    Pupil = apps.get_model("classroom", "Pupil")
    group_ids = Pupil.objects.values_list("group_id", flat=True).distinct()
    for group_id in group_ids:
        pupils = list(Pupil.objects.filter(group_id=group_id).order_by("pk"))
        in_use = {(p.avatar, p.avatar_colour) for p in pupils}
        seen = set()
        for pupil in pupils:
            pair = (pupil.avatar, pupil.avatar_colour)
            if pair in seen:
                pupil.avatar, pupil.avatar_colour = distinct_avatar(in_use)
                pupil.save(update_fields=["avatar", "avatar_colour"])
                pair = (pupil.avatar, pupil.avatar_colour)
                in_use.add(pair)
            seen.add(pair)


class Migration(migrations.Migration):
    dependencies = [("classroom", "0006_group_language")]

    operations = [migrations.RunPython(reassign_duplicates, migrations.RunPython.noop)]
