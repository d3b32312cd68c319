"""Exports nobody can trace back to a child: a school whose pupils, staff, places, groups
and titles have distinctive names (several scripts, diacritics, emoji, double surnames,
names that are also words) exports every dataset in every format, with and without free
text, and a scan of every file finds no name part, username, token, id, label or title.
Small groups are left out, rows carry no order, and two studies cannot be joined."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from classroom import actions as classroom_actions
from classroom.models import Group, Lesson, Pupil
from goals import actions as goal_actions
from goals.models import Block
from logbook import entries
from planboard import actions as planboard_actions
from research import actions, names
from research.exports import Export, Pseudonyms, zip_stream
from research.models import Dataset, Phase
from tests.research.test_export import start_ids_at

IDS = {"group": 915577, "pupil": 925577, "user": 935577, "lesson": 945577, "block": 955577}
# Consenting pupils of the big group: a double surname, diacritics, Chinese, Cyrillic, an
# emoji, a name that is also a word, an Arabic name with a particle.
CONSENTING = [
    "Anne-Marie de Vries-Bakker",
    "Zoë Çelik",
    "王芳",
    "Даша Иванова",
    "Noor 🌸",
    "Roos",
    "Bas Jansen",
    "Fatima El Amrani",
]
WITHDRAWN = "Mees Terugtrekker"
UNKNOWN = "Ilse Onbekendova"
ERASED = "Jesse Gewistmans"
SMALL_GROUP = ["Kees Kleingroep", "Lotte Kleinsma"]
TITLES = [
    "Kiezen bij meester Gijsbrecht in Zwammerdam",  # the intervention
    "Regie op De Regenboog Zwammerdam",  # the study
    "Door Henriëtte Lieftinck, met Gijsbrecht van Amstel-Oudshoorn",  # its description
    "Breuken bij Gijsbrecht",  # a lesson
]
LABELS = ["Instructietafel meester Gijsbrecht", "Stiltehoek Zuidvleugel", "Bouwhoek Henriëtte"]


def _text(pupil_names):
    """Classmates' words naming every kind of pupil."""
    return {
        "instruction": f"Ik wil instructie samen met {WITHDRAWN.split()[0]} en Zoe",
        "evaluation": (
            f"Met {UNKNOWN.split()[0]} en {ERASED.split()[0]} ging het goed, "
            "anne marie hielp, 王芳也在, Noor🌸 ook, een roos getekend"
        ),
    }


@pytest.fixture
def anon(world):
    for model, key in ((Group, "group"), (Lesson, "lesson"), (Pupil, "pupil"), (Block, "block")):
        start_ids_at(model, IDS[key])
    start_ids_at(get_user_model(), IDS["user"])
    school = classroom_actions.create_school(name="Basisschool De Regenboog", city="Zwammerdam")
    teacher = classroom_actions.create_staff_user(
        school=school,
        username="g.vanamstel",
        password="correct horse 42",
        first_name="Gijsbrecht",
        last_name="van Amstel-Oudshoorn",
    )
    researcher = get_user_model().objects.create_user(
        "h.lieftinck", password="correct horse 43", first_name="Henriëtte", last_name="Lieftinck"
    )
    group = classroom_actions.create_group(
        school=school, name="Groep 6 De Zeesterren", year_from=6, teachers=[teacher]
    )
    small = classroom_actions.create_group(
        school=school, name="Groep 3 De Kikkers", year_from=3, teachers=[teacher]
    )
    pupils = {
        name: classroom_actions.create_pupil(group=group, display_name=name)
        for name in [*CONSENTING, WITHDRAWN, UNKNOWN, ERASED]
    }
    smalls = {
        name: classroom_actions.create_pupil(group=small, display_name=name) for name in SMALL_GROUP
    }
    place = classroom_actions.create_place(group=group, name=LABELS[0], icon="table")
    classroom_actions.create_place(group=group, name=LABELS[1], icon="quiet")
    activity = planboard_actions.create_activity(
        group=group, name=LABELS[2], pictogram="building", capacity=4
    )
    today = timezone.localdate()
    lessons = []
    for g in (group, small):
        block = goal_actions.create_block(
            group=g, name="Blok 2", start_date=today - timedelta(days=3), end_date=today
        )
        goal = goal_actions.create_goal(
            block=block,
            strand=world.strand,
            code=f"G{g.year_from}-2.1",
            statement="Ik kan delen met rest.",
            levels=["begonnen", "met hulp", "alleen"],
        )
        lesson = classroom_actions.create_lesson(
            group=g,
            title=TITLES[3],
            goal_openness="free",
            instruction_openness="free",
            partner_openness="free",
            place_openness="free",
            differentiation="individual",
        )
        classroom_actions.start_lesson(lesson, acting_user=teacher)
        lessons.append((lesson, goal))
    (lesson, goal), (small_lesson, small_goal) = lessons
    text = _text(pupils)
    everyone = list(pupils.values())
    for i, pupil in enumerate(everyone):
        entries.choose(pupil=pupil, lesson=lesson, aspect="goal", value=[goal.pk])
        entries.choose(pupil=pupil, lesson=lesson, aspect="place", value=place.pk)
        partners = [everyone[(i + 1) % len(everyone)].pk]
        entries.choose(pupil=pupil, lesson=lesson, aspect="partner", value=partners)
        entries.choose(
            pupil=pupil,
            lesson=lesson,
            aspect="instruction",
            value={"wanted": True, "reason": "dont_understand", "text": text["instruction"]},
        )
        entries.evaluate(
            pupil=pupil,
            lesson=lesson,
            levels={goal.pk: 1 + i % 3},
            mood="ok",
            text=text["evaluation"],
        )
        goal_actions.assess_as_teacher(
            acting_user=teacher,
            pupil=pupil,
            goal=goal,
            level=2,
            note=f"{pupil.display_name} werkt goed met {WITHDRAWN} aan de "
            f"{LABELS[0]}; Gijsbrecht belt {UNKNOWN} en g.vanamstel@school.nl",
        )
    for pupil in smalls.values():
        entries.choose(pupil=pupil, lesson=small_lesson, aspect="goal", value=[small_goal.pk])
    board = planboard_actions.board_for(group, today)
    planboard_actions.set_slot(board, activity, on=True)
    slot = board.slots.get(activity=activity)
    planboard_actions.plan(pupil=pupils["Roos"], slot=slot, acting_user=pupils["Roos"].user)
    intervention = actions.save_intervention(
        None,
        school=school,
        title=TITLES[0],
        groups=[group],
        start_date=today - timedelta(days=30),
        end_date=today + timedelta(days=30),
        members=[teacher],
    )
    actions.link_lesson(intervention=intervention, lesson=lesson, phase=Phase.EXPERIENCED)
    study = actions.save_study(
        None,
        school=school,
        title=TITLES[1],
        description=TITLES[2],
        groups=[group, small],
        start_date=today - timedelta(days=30),
        end_date=today + timedelta(days=30),
        datasets=list(Dataset.values),
        researchers=[researcher],
    )
    for name, pupil in [*pupils.items(), *smalls.items()]:
        if name in (*CONSENTING, WITHDRAWN, *SMALL_GROUP):
            actions.set_consent(study=study, pupil=pupil, status="given", acting_user=teacher)
    actions.set_consent(study=study, pupil=pupils[WITHDRAWN], status="refused", acting_user=teacher)
    # Secrets to look for, taken before the erasure.
    secrets = {
        "tokens": [p.login_token for p in [*pupils.values(), *smalls.values()]],
        "usernames": [p.user.username for p in [*pupils.values(), *smalls.values()]],
        "ids": [str(IDS[key] + i) for key in IDS for i in range(len(pupils) + 4)],
    }
    actions.erase_pupil(pupils.pop(ERASED), acting_user=teacher)
    return {
        "school": school,
        "teacher": teacher,
        "researcher": researcher,
        "group": group,
        "small": small,
        "pupils": pupils,
        "smalls": smalls,
        "lesson": lesson,
        "study": study,
        "secrets": secrets,
        "class_code": group.class_code,
    }


def unzip(study, fmt) -> dict[str, str]:
    archive = zipfile.ZipFile(io.BytesIO(b"".join(zip_stream(Export(study), fmt))))
    return {name: archive.read(name).decode() for name in archive.namelist()}


def rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def name_parts() -> set[str]:
    """Every name part a reader could recognise a person by."""
    people = [*CONSENTING, WITHDRAWN, UNKNOWN, ERASED, *SMALL_GROUP]
    people += ["Gijsbrecht van Amstel-Oudshoorn", "Henriëtte Lieftinck"]
    places = ["Basisschool De Regenboog", "Zwammerdam", "Zeesterren", "Kikkers"]
    return {v for name in people for v in names.variants(name)} | set(places)


def found(text: str, needle: str) -> bool:
    """`needle` in `text` as a word (accents and capitals ignored), or as a substring
    where words are not spaced (Chinese, emoji)."""
    folded, _index = names.fold(text)
    target, _index = names.fold(needle)
    if not re.search(r"\w", target) or any(ord(c) > 0x2E80 for c in target):
        return target in folded
    return re.search(rf"(?<!\w){re.escape(target)}(?!\w)", folded) is not None


def test_no_name_username_token_id_label_or_title_in_any_file(anon):
    study = anon["study"]
    secrets = anon["secrets"]
    for free_text in (False, True):
        study.include_free_text = free_text
        study.save()
        for fmt in ("csv", "jsonl", "xapi"):
            files = unzip(study, fmt)
            everything = "\n".join(files.values())
            for part in name_parts() | {"De Zeesterren", "De Kikkers"}:
                assert not found(everything, part), (part, fmt, free_text)
            for title in TITLES + LABELS + [anon["class_code"]]:
                assert not found(everything, title), (title, fmt, free_text)
            for secret in secrets["tokens"] + secrets["usernames"]:
                assert secret not in everything, (secret, fmt, free_text)
            # An id is a number of its own; random hex (xAPI statement ids, digests) may
            # hold its digits by chance.
            for secret in secrets["ids"]:
                number = re.compile(rf"(?<![0-9A-Za-z]){secret}(?![0-9A-Za-z])")
                assert not number.search(everything), (secret, fmt, free_text)
    # The scrubbed words are still there for the researcher, names replaced.
    entries_rows = rows(unzip(study, "csv")["entries.csv"])
    p = Pseudonyms(study.pseudonym_key)
    zoe = p("pupil", anon["pupils"]["Zoë Çelik"].pk)
    texts = [r["instruction_text"] for r in entries_rows]
    assert texts and all(t == f"Ik wil instructie samen met [leerling] en {zoe}" for t in texts)
    evaluation = entries_rows[0]["evaluation_text"]
    assert "[leerling] en [leerling] ging het goed" in evaluation
    assert p("pupil", anon["pupils"]["Anne-Marie de Vries-Bakker"].pk) + " hielp" in evaluation


def test_a_group_below_the_minimum_size_is_left_out_whole(anon):
    study = anon["study"]
    p = Pseudonyms(study.pseudonym_key)
    small = p("group", anon["small"].pk)
    files = unzip(study, "csv")
    for name, text in files.items():
        if name != "README.md":
            assert small not in text, name
    kees = p("pupil", anon["smalls"]["Kees Kleingroep"].pk)
    assert kees not in "\n".join(files.values())
    assert "1 group(s) of the study had fewer and are left out whole" in files["README.md"]
    # At a minimum of 2, the two pupils of groep 3 are exported.
    study.min_cell_size = 2
    study.save()
    assert kees in unzip(study, "csv")["entries.csv"]


def test_counts_that_would_single_out_a_child_are_not_exported(anon):
    files = unzip(anon["study"], "csv")
    header = next(csv.reader(io.StringIO(files["entries.csv"])))
    assert "partners_without_consent" not in header
    withdrawn = anon["pupils"][WITHDRAWN]
    p = Pseudonyms(anon["study"].pseudonym_key)
    assert p("pupil", withdrawn.pk) not in "\n".join(files.values())
    # The one who refused is in no row: nothing they did, nothing about them.
    events = rows(files["events.csv"])
    assert all(e["actor"] or e["actor_role"] != "pupil" for e in events)


def test_rows_within_a_day_say_nothing_of_their_order(anon):
    study = anon["study"]
    p = Pseudonyms(study.pseudonym_key)
    files = unzip(study, "csv")
    by_id = sorted(anon["pupils"].values(), key=lambda q: q.pk)
    in_id_order = [p("pupil", q.pk) for q in by_id if q.display_name in CONSENTING]
    exported = [r["pupil"] for r in rows(files["entries.csv"])]
    assert sorted(exported) == sorted(in_id_order)
    assert exported != in_id_order  # 1 in 40320 that a shuffle gives the id order
    # Events of one day are not in the order they happened (login order cannot be
    # matched to a server log); the same order in every export of the study.
    events = Export(study)
    real = [e[-1] for e in events.event_rows()]
    assert real != sorted(real)
    assert real == [e[-1] for e in Export(study).event_rows()]


def test_exact_times_are_moved_per_day_and_per_study(anon):
    from classroom.models import UsageEvent

    study = anon["study"]
    study.coarsen_to_day = False
    study.save()
    export = Export(study)
    true = {
        Pseudonyms(study.pseudonym_key).event(e.pk): e.time
        for e in UsageEvent.objects.filter(group=anon["group"])
    }
    exported = rows(unzip(study, "csv")["events.csv"])
    shifts = set()
    for row in exported:
        moved = timezone.datetime.fromisoformat(row["time"].replace("Z", "+00:00"))
        shift = (moved - true[row["event"]].replace(microsecond=0)).total_seconds()
        assert abs(shift) <= 1800
        shifts.add(shift)
    assert len(shifts) == 1 and shifts != {0}  # one shift for the day: order and gaps kept
    assert export.exact(timezone.now()).endswith("Z")


def _second_study(anon, **changes):
    other = actions.save_study(
        None,
        school=anon["school"],
        title="Tweede studie",
        groups=[anon["group"]],
        start_date=anon["study"].start_date,
        end_date=anon["study"].end_date,
        datasets=list(Dataset.values),
    )
    for field, value in changes.items():
        setattr(other, field, value)
    other.save()
    for name, pupil in anon["pupils"].items():
        if name in CONSENTING:
            actions.set_consent(
                study=other, pupil=pupil, status="given", acting_user=anon["teacher"]
            )
    return other


@pytest.mark.parametrize("coarsen", [True, False])
def test_two_studies_cannot_be_joined_on_any_column(anon, coarsen):
    first, second = anon["study"], _second_study(anon, coarsen_to_day=coarsen)
    first.coarsen_to_day = coarsen
    first.save()
    a, b = unzip(first, "csv"), unzip(second, "csv")
    for dataset in ("events.csv", "entries.csv", "assessments.csv"):
        ra, rb = rows(a[dataset]), rows(b[dataset])
        assert ra and rb
        for column in ("pupil", "actor", "assessor", "event", "group", "lesson", "place"):
            va = {r[column] for r in ra if r.get(column)}
            vb = {r[column] for r in rb if r.get(column)}
            assert va.isdisjoint(vb), (dataset, column)
    if not coarsen:
        # No exact clock time is shared: a pupil's event cannot be found in the other
        # study by its time.
        ta = {r["time"] for r in rows(a["events.csv"])}
        tb = {r["time"] for r in rows(b["events.csv"])}
        assert ta.isdisjoint(tb)
    xa = {s["id"] for s in json.loads(unzip(first, "xapi")["events.xapi.json"])}
    xb = {s["id"] for s in json.loads(unzip(second, "xapi")["events.xapi.json"])}
    assert xa and xa.isdisjoint(xb)


def test_xapi_statement_ids_are_stable_across_exports_of_one_study(anon):
    study = anon["study"]
    first = json.loads(unzip(study, "xapi")["events.xapi.json"])
    # A new event in between (a lesson started) moves every later row number.
    lesson = classroom_actions.create_lesson(group=anon["group"], title="Nog een les")
    classroom_actions.start_lesson(lesson, acting_user=anon["teacher"])
    second = json.loads(unzip(study, "xapi")["events.xapi.json"])
    assert {s["id"] for s in first} < {s["id"] for s in second}
    assert len(second) == len(first) + 1
    if study.coarsen_to_day:
        assert all(s["timestamp"].endswith("T00:00:00Z") for s in second)
