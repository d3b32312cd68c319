"""Activities get pictures of their own (and may have a photo of the corner); a plan
holds a seat only while the child is there (decision 0008); kleuters' photos of their
work belong to the planbord.

Data: each activity's old pictogram (one of the avatar / place pictures) becomes the
activity picture its name says (a "Zandtafel" with a cloud becomes the sand table),
else the nearest picture for the old one. Then every child keeps one seat: the one of
the first activity they have not done yet, and each slot counts those seats.
"""

import django.db.models.deletion
from django.db import migrations, models


# Words in an activity's name (Dutch and English), checked in this order.
BY_NAME = [
    ("zand", "sand"),
    ("sand", "sand"),
    ("water", "water"),
    ("verf", "painting"),
    ("schilder", "painting"),
    ("paint", "painting"),
    ("teken", "drawing"),
    ("draw", "drawing"),
    ("klei", "clay"),
    ("clay", "clay"),
    ("puzzel", "puzzle"),
    ("puzzle", "puzzle"),
    ("tel", "counting"),
    ("reken", "counting"),
    ("count", "counting"),
    ("spel", "games"),
    ("game", "games"),
    ("computer", "computer"),
    ("tablet", "computer"),
    ("muziek", "music"),
    ("music", "music"),
    ("buiten", "outside"),
    ("outside", "outside"),
    ("knutsel", "crafts"),
    ("craft", "crafts"),
    ("kring", "circle"),
    ("circle", "circle"),
    ("instructie", "instruction"),
    ("instruction", "instruction"),
    ("stilte", "quiet"),
    ("quiet", "quiet"),
    ("lees", "reading"),
    ("boek", "reading"),
    ("read", "reading"),
    ("bouw", "building"),
    ("build", "building"),
    ("huis", "home_corner"),
    ("poppen", "home_corner"),
    ("home", "home_corner"),
]
# Else the old pictogram says what it can.
BY_OLD_PICTOGRAM = {
    "blocks": "building",
    "book": "reading",
    "house": "home_corner",
    "quiet": "quiet",
    "table": "drawing",
    "flower": "drawing",
    "star": "games",
    "cloud": "sand",
    "fish": "water",
    "ball": "games",
    "car": "games",
    "sun": "outside",
    "tree": "outside",
    "door": "outside",
}


def activity_picture(name: str, old: str) -> str:
    lowered = name.lower()
    for word, picture in BY_NAME:
        if word in lowered:
            return picture
    return BY_OLD_PICTOGRAM.get(old, "games")


def pictures_from_names(apps, schema_editor):
    Activity = apps.get_model("planboard", "Activity")
    for activity in Activity.objects.all():
        picture = activity_picture(activity.name, activity.pictogram)
        if picture != activity.pictogram:
            Activity.objects.filter(pk=activity.pk).update(pictogram=picture)


def seats_for_who_is_there(apps, schema_editor):
    Plan = apps.get_model("planboard", "Plan")
    Slot = apps.get_model("planboard", "Slot")
    seen = set()
    for plan in Plan.objects.filter(done=False).order_by("board_id", "pupil_id", "position", "id"):
        if (plan.board_id, plan.pupil_id) not in seen:
            seen.add((plan.board_id, plan.pupil_id))
            Plan.objects.filter(pk=plan.pk).update(seated=True)
    for slot in Slot.objects.all():
        taken = Plan.objects.filter(slot=slot, seated=True).count()
        Slot.objects.filter(pk=slot.pk).update(taken=taken)


class Migration(migrations.Migration):
    dependencies = [
        ("classroom", "0004_usage_events_move_here"),
        ("planboard", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="PlanPhoto",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("image", models.ImageField(upload_to="planboard/photos/")),
                ("thumbnail", models.ImageField(upload_to="planboard/photos/thumbs/")),
                ("width", models.PositiveIntegerField()),
                ("height", models.PositiveIntegerField()),
                ("created_at", models.DateTimeField(auto_now_add=True, db_index=True)),
            ],
            options={
                "verbose_name": "planning board photo",
                "verbose_name_plural": "planning board photos",
                "ordering": ["created_at", "id"],
            },
        ),
        migrations.AddField(
            model_name="activity",
            name="photo",
            field=models.ImageField(
                blank=True, upload_to="planboard/corners/", verbose_name="photo of the corner"
            ),
        ),
        migrations.AddField(
            model_name="plan",
            name="seated",
            field=models.BooleanField(default=False),
        ),
        migrations.AlterField(
            model_name="activity",
            name="pictogram",
            field=models.CharField(
                choices=[
                    ("building", "building corner"),
                    ("home_corner", "home corner"),
                    ("reading", "reading corner"),
                    ("sand", "sand table"),
                    ("water", "water table"),
                    ("painting", "painting corner"),
                    ("drawing", "drawing table"),
                    ("clay", "clay"),
                    ("puzzle", "puzzles"),
                    ("games", "games"),
                    ("counting", "counting game"),
                    ("computer", "computer"),
                    ("music", "music"),
                    ("outside", "outside"),
                    ("crafts", "crafts"),
                    ("circle", "circle time"),
                    ("instruction", "instruction"),
                    ("quiet", "quiet corner"),
                ],
                max_length=20,
                verbose_name="picture",
            ),
        ),
        migrations.RunPython(pictures_from_names, migrations.RunPython.noop),
        migrations.RunPython(seats_for_who_is_there, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="plan",
            constraint=models.UniqueConstraint(
                condition=models.Q(("seated", True)),
                fields=("pupil", "board"),
                name="plan_one_seat_at_once",
            ),
        ),
        migrations.AddField(
            model_name="planphoto",
            name="activity",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="photos",
                to="planboard.activity",
            ),
        ),
        migrations.AddField(
            model_name="planphoto",
            name="board",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="photos",
                to="planboard.board",
            ),
        ),
        migrations.AddField(
            model_name="planphoto",
            name="pupil",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="plan_photos",
                to="classroom.pupil",
            ),
        ),
    ]
