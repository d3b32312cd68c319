"""Research exports: pseudonyms, consent, free text, codebook, intervention labels, and
nothing that names a pupil. Every object gets a distinctive database id here, so a leaked
id would be found in the files."""

import csv
import io
import json
import re
import zipfile
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from classroom import actions as classroom_actions
from classroom import usage
from classroom.models import Group, Lesson, Pupil, UsageEvent
from goals import actions as goal_actions
from goals.models import Block, Goal
from logbook import entries
from research import actions
from research.exports import COLUMNS, Export, Pseudonyms, zip_stream
from research.models import Consent, Dataset, Phase

IDS = {"group": 550011, "pupil": 770011, "user": 880011, "lesson": 660011, "block": 440011}


def start_ids_at(model, value):
    """The next row of `model` gets id `value` (SQLite and PostgreSQL)."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [table, value - 1]
            )
        else:
            cursor.execute("DELETE FROM sqlite_sequence WHERE name = %s", [table])
            cursor.execute(
                "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, value - 1]
            )


@pytest.fixture
def school(world):
    """Groep 7 with Zara (consent), Mees (refused) and Ilse (unknown), a lesson in which
    all three work, marks, free text and a teacher with a recognisable username."""
    for model, key in ((Group, "group"), (Lesson, "lesson"), (Pupil, "pupil"), (Block, "block")):
        start_ids_at(model, IDS[key])
    start_ids_at(get_user_model(), IDS["user"])
    teacher = classroom_actions.create_staff_user(
        school=world.school, username="meester.export", password="correct horse 42"
    )
    group = classroom_actions.create_group(
        school=world.school, name="Groep 7 De Vossen", year_from=7, teachers=[teacher]
    )
    zara = classroom_actions.create_pupil(group=group, display_name="Zara Exportmeisje")
    mees = classroom_actions.create_pupil(group=group, display_name="Mees Geentoestemming")
    ilse = classroom_actions.create_pupil(group=group, display_name="Ilse Onbekend")
    place = classroom_actions.create_place(group=group, name="Instructietafel", icon="table")
    today = timezone.localdate()
    block = goal_actions.create_block(
        group=group, name="Blok 2", start_date=today - timedelta(days=3), end_date=today
    )
    goal = goal_actions.create_goal(
        block=block,
        strand=world.strand,
        code="G7-2.1",
        statement="Ik kan delen met rest.",
        levels=["begonnen", "met hulp", "alleen"],
    )
    lesson = classroom_actions.create_lesson(
        group=group,
        title="Delen met rest",
        goal_openness="free",
        instruction_openness="free",
        partner_openness="free",
        place_openness="free",
        differentiation="individual",
    )
    classroom_actions.start_lesson(lesson, acting_user=teacher)
    for pupil in (zara, mees, ilse):
        entries.choose(pupil=pupil, lesson=lesson, aspect="goal", value=[goal.pk])
        entries.choose(pupil=pupil, lesson=lesson, aspect="place", value=place.pk)
    entries.choose(
        pupil=zara,
        lesson=lesson,
        aspect="instruction",
        value={"wanted": True, "reason": "dont_understand", "text": "Ik snap de rest niet"},
    )
    entries.choose(pupil=zara, lesson=lesson, aspect="partner", value=[mees.pk, ilse.pk])
    entries.evaluate(
        pupil=zara, lesson=lesson, levels={goal.pk: 2}, mood="hard", text="Moeilijk vandaag"
    )
    entries.evaluate(pupil=mees, lesson=lesson, levels={goal.pk: 3}, mood="great")
    goal_actions.assess_as_teacher(
        acting_user=teacher, pupil=zara, goal=goal, level=1, note="Zara mist de tafels"
    )
    # The distinctive ids took (otherwise the search for them below proves nothing).
    assert (group.pk, lesson.pk, zara.pk, block.pk) == (
        IDS["group"],
        IDS["lesson"],
        IDS["pupil"],
        IDS["block"],
    )
    assert teacher.pk == IDS["user"] and zara.user.pk == IDS["user"] + 1
    study = actions.save_study(
        None,
        school=world.school,
        title="Regie in groep 7",
        groups=[group],
        start_date=today - timedelta(days=30),
        end_date=today + timedelta(days=30),
        datasets=list(Dataset.values),
    )
    # One pupil with consent: the rules tested here are not the minimum group size
    # (test_anonymity.py tests that on a class of its own).
    study.min_cell_size = 1
    study.save()
    actions.set_consent(study=study, pupil=zara, status="given", acting_user=teacher)
    actions.set_consent(study=study, pupil=mees, status="refused", acting_user=teacher)
    actions.set_consent(study=study, pupil=ilse, status="unknown", acting_user=teacher)
    return {
        "world": world,
        "teacher": teacher,
        "group": group,
        "zara": zara,
        "mees": mees,
        "ilse": ilse,
        "lesson": lesson,
        "goal": goal,
        "study": study,
    }


def unzip(study, fmt):
    data = b"".join(zip_stream(Export(study), fmt))
    archive = zipfile.ZipFile(io.BytesIO(data))
    return {name: archive.read(name).decode() for name in archive.namelist()}


def rows(files, name):
    return list(csv.DictReader(io.StringIO(files[name])))


def forbidden(s):
    """Everything that would identify a pupil, teacher, group or lesson."""
    people = [s["zara"], s["mees"], s["ilse"]]
    words = [p.display_name for p in people] + [p.display_name.split()[0] for p in people]
    words += [p.user.username for p in people] + [p.login_token for p in people]
    words += [p.picture_code for p in people]
    words += ["meester.export", "Groep 7 De Vossen", "Delen met rest", s["group"].class_code]
    words += ["Ik snap de rest niet", "Moeilijk vandaag", "Zara mist de tafels"]
    words += ["Regie in groep 7", "Instructietafel"]
    return words


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "xapi"])
def test_no_name_username_or_id_anywhere_in_any_file(school, fmt):
    files = unzip(school["study"], fmt)
    assert {"README.md", "codebook.csv"} <= set(files)
    everything = "\n".join(files.values())
    for word in forbidden(school):
        assert word not in everything, f"{word!r} found in the {fmt} export"
    # An id is a number of its own; random hex (xAPI statement ids, digests) may hold
    # its digits by chance.
    for number in [str(IDS[key] + i) for key in IDS for i in range(4)]:
        alone = re.compile(rf"(?<![0-9A-Za-z]){number}(?![0-9A-Za-z])")
        assert not alone.search(everything), f"id {number} found in the {fmt} export"


def test_the_export_has_what_the_study_asked_for(school):
    files = unzip(school["study"], "csv")
    assert set(files) == {
        "README.md",
        "codebook.csv",
        "events.csv",
        "entries.csv",
        "assessments.csv",
        "quadrant.csv",
        "labels.csv",
    }
    p = Pseudonyms(school["study"].pseudonym_key)
    zara = p("pupil", school["zara"].pk)
    (entry,) = rows(files, "entries.csv")  # Mees refused, Ilse unknown: only Zara
    assert entry["pupil"] == zara
    assert entry["goals"] == "G7-2.1"
    assert entry["instruction"] == "true" and entry["instruction_reason"] == "dont_understand"
    # Partners without consent are neither named nor counted (a count of 1 would single
    # out the one child who refused).
    assert entry["partners"] == "" and "partners_without_consent" not in entry
    assert entry["mood"] == "hard" and entry["evaluated"] == "true"
    # The place is a per-study code, listed with its kind in labels.csv, never its name.
    assert entry["place"].startswith("place_") and "Instructietafel" not in str(files)
    assert rows(files, "labels.csv") == [{"code": entry["place"], "kind": "place"}]
    assert entry["goal_decided_by"] == "pupil"
    events = rows(files, "events.csv")
    assert {e["pupil"] for e in events} <= {zara, ""}
    assert {"lesson_started", "logbook_chosen", "logbook_evaluated", "self_assessed"} <= {
        e["verb"] for e in events
    }
    assert all(e["time"] == timezone.localdate().isoformat() for e in events)  # coarsened
    marks = rows(files, "assessments.csv")
    assert {(m["kind"], m["level"], m["levels"]) for m in marks} == {
        ("self", "2", "3"),
        ("teacher", "1", "3"),
    }
    (lesson,) = rows(files, "quadrant.csv")
    assert lesson["pupils_with_data"] == "1" and lesson["pupils_without_data"] == "0"
    assert lesson["intended_regie"] == "0.8" and lesson["intended_belang"] == "1.0"


def test_a_pupil_without_consent_appears_nowhere(school):
    p = Pseudonyms(school["study"].pseudonym_key)
    for fmt in ("csv", "jsonl", "xapi"):
        everything = "\n".join(unzip(school["study"], fmt).values())
        assert p("pupil", school["mees"].pk) not in everything
        assert p("pupil", school["ilse"].pk) not in everything
        assert p("pupil", school["zara"].pk) in everything


def test_withdrawn_consent_counts_for_every_later_export(school):
    p = Pseudonyms(school["study"].pseudonym_key)
    zara = p("pupil", school["zara"].pk)
    assert zara in unzip(school["study"], "csv")["entries.csv"]
    actions.set_consent(
        study=school["study"], pupil=school["zara"], status="refused", acting_user=school["teacher"]
    )
    files = unzip(school["study"], "csv")
    assert zara not in "\n".join(files.values())
    assert rows(files, "entries.csv") == []
    assert "with consent given: 0." in files["README.md"]


def test_two_studies_give_the_same_pupil_unlinkable_pseudonyms(school):
    other = actions.save_study(
        None,
        school=school["world"].school,
        title="Tweede studie",
        groups=[school["group"]],
        start_date=school["study"].start_date,
        end_date=school["study"].end_date,
        datasets=["entries"],
    )
    other.min_cell_size = 1
    other.save()
    actions.set_consent(
        study=other, pupil=school["zara"], status="given", acting_user=school["teacher"]
    )
    first = {r["pupil"] for r in rows(unzip(school["study"], "csv"), "entries.csv")}
    second = {r["pupil"] for r in rows(unzip(other, "csv"), "entries.csv")}
    assert len(first) == len(second) == 1 and first.isdisjoint(second)
    # ... and stable within one study.
    assert first == {r["pupil"] for r in rows(unzip(school["study"], "csv"), "entries.csv")}


def test_free_text_only_when_the_study_includes_it(school):
    study = school["study"]
    study.include_free_text = True
    study.save()
    files = unzip(study, "csv")
    (entry,) = rows(files, "entries.csv")
    assert entry["instruction_text"] == "Ik snap de rest niet"
    assert entry["evaluation_text"] == "Moeilijk vandaag"
    # The teacher's note names Zara: her pseudonym stands in her name's place.
    zara = Pseudonyms(study.pseudonym_key)("pupil", school["zara"].pk)
    assert f"{zara} mist de tafels" in files["assessments.csv"]
    assert "Zara" not in files["assessments.csv"]
    assert "Free text included: yes" in files["README.md"]


def test_timestamps_to_the_second_when_not_coarsened(school):
    study = school["study"]
    study.coarsen_to_day = False
    study.save()
    events = rows(unzip(study, "csv"), "events.csv")
    assert all(e["time"].endswith("Z") and "T" in e["time"] for e in events)


def _paths(value, prefix=""):
    """The leaf paths of a JSON statement (context.extensions.<IRI>.... kept whole)."""
    if isinstance(value, dict) and not prefix.endswith("/details"):
        for key, inner in value.items():
            yield from _paths(inner, f"{prefix}.{key}" if prefix else key)
    else:
        yield prefix


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "xapi"])
def test_the_codebook_explains_every_file_and_column_of_its_own_format(school, fmt, settings):
    study = school["study"]
    study.include_free_text = True
    study.save()
    files = unzip(study, fmt)
    book = rows(files, "codebook.csv")
    codebook = {(r["file"], r["column"]): r for r in book}
    # Every file of the zip is described, and nothing that is not in it.
    described_files = {r["file"] for r in book} - {"events.verb", "events.context"}
    assert described_files == set(files)
    for name, text in files.items():
        assert (
            codebook[(name, "")]["meaning"]
            if name.endswith(".md") or name == "codebook.csv"
            else True
        )
        if name.endswith(".csv") and name != "codebook.csv":
            header = next(csv.reader(io.StringIO(text)))
        elif name.endswith(".jsonl"):
            header = list(json.loads(text.splitlines()[0]))
        elif name.endswith(".xapi.json"):
            base = settings.RESEARCH_XAPI_BASE.rstrip("/")
            header = sorted(
                {p.replace(base, "BASE") for st in json.loads(text) for p in _paths(st)}
            )
            assert header
        else:
            continue
        for column in header:
            assert (name, column) in codebook, (name, column)
            assert codebook[(name, column)]["meaning"]
    if fmt != "xapi":
        assert codebook[(f"entries.{fmt}", "mood")]["allowed_values"] == "great, ok, hard"
        evaluated = codebook[(f"entries.{fmt}", "evaluated")]
        entry = (
            rows(files, "entries.csv")[0]
            if fmt == "csv"
            else json.loads(files["entries.jsonl"].splitlines()[0])
        )
        # Types exactly as written: "true" in CSV, a JSON true in JSON Lines.
        if fmt == "csv":
            assert evaluated["allowed_values"] == "true, false" and entry["evaluated"] == "true"
        else:
            assert "JSON true or false" in evaluated["type"] and entry["evaluated"] is True
    # Every verb anyone declared, with each context key the file carries.
    described = {column for f, column in codebook if f == "events.verb"}
    assert described == set(usage.VERBS) and "pupil_erased" in described
    if fmt == "csv":
        for e in rows(files, "events.csv"):
            assert e["verb"] in described
            for key in json.loads(e["context"]):
                assert ("events.context", f"{e['verb']}.{key}") in codebook, (e["verb"], key)
    # The README holds no title or description a person typed.
    assert "Regie in groep 7" not in files["README.md"]
    assert "What this export can and cannot reveal" in files["README.md"]


def test_jsonl_rows_match_the_codebook_columns(school):
    files = unzip(school["study"], "jsonl")
    for dataset in Dataset.values:
        for line in files[f"{dataset}.jsonl"].splitlines():
            record = json.loads(line)
            assert list(record) == [c.name for c in COLUMNS[dataset]]


def test_intervention_and_phase_labels_appear_in_the_exports(school):
    intervention = actions.save_intervention(
        None,
        school=school["world"].school,
        title="Kiezen met een keuzebord",
        groups=[school["group"]],
        start_date=school["study"].start_date,
        end_date=school["study"].end_date,
        members=[school["teacher"]],
    )
    actions.link_lesson(intervention=intervention, lesson=school["lesson"], phase=Phase.EXPERIENCED)
    files = unzip(school["study"], "csv")
    (entry,) = rows(files, "entries.csv")
    code = Pseudonyms(school["study"].pseudonym_key)("intervention", intervention.pk)
    assert (entry["intervention"], entry["phase"]) == (code, "ervaren")
    assert "keuzebord" not in str(files)
    lesson_events = [e for e in rows(files, "events.csv") if e["lesson"]]
    assert lesson_events and all(e["phase"] == "ervaren" for e in lesson_events)
    assert rows(files, "quadrant.csv")[0]["phase"] == "ervaren"


def test_consent_is_only_set_for_pupils_in_the_study(school):
    with pytest.raises(Exception, match="not in this study"):
        actions.set_consent(
            study=school["study"],
            pupil=school["world"].pupil,
            status="given",
            acting_user=school["teacher"],
        )
    consent = Consent.objects.get(study=school["study"], pupil=school["zara"])
    assert consent.set_by == school["teacher"] and consent.set_at is not None


def test_the_export_holds_no_event_of_other_groups(school):
    files = unzip(school["study"], "csv")
    groups = {e["group"] for e in rows(files, "events.csv")}
    p = Pseudonyms(school["study"].pseudonym_key)
    assert groups == {p("group", school["group"].pk)}
    assert UsageEvent.objects.filter(group=school["world"].group).exists()
    assert Goal.objects.filter(code="G6-3.1").exists()
