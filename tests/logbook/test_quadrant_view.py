"""The lesson's quadrant on the teacher's lesson page, from real logbook entries."""

from classroom import actions as classroom_actions
from classroom.models import ASPECTS
from logbook import dashboard, entries


def example_5(world):
    """personalisation-quadrant.md, example 5: two pupils, goal = choice, the rest fixed;
    P chose their goal, the teacher overrode Q's."""
    lesson = classroom_actions.create_lesson(
        group=world.group, title="Keuze uit doelen", subject="rekenen", goal_openness="choice"
    )
    other = world.block.goals.get(code="G6-3.2")
    classroom_actions.configure_lesson(lesson, goals=[world.goal, other])
    classroom_actions.start_lesson(lesson, acting_user=world.teacher)
    entries.choose(pupil=world.pupil, lesson=lesson, aspect="goal", value=[world.goal.pk])
    entries.override(
        acting_user=world.teacher,
        pupil=world.classmate,
        lesson=lesson,
        aspect="goal",
        value=[other.pk],
    )
    return lesson


def test_the_worked_example_through_real_entries(world):
    position = dashboard.lesson_position(example_5(world))
    assert position.intended_regie == 0.1 and position.intended_belang == 0
    assert position.enacted.regie == 0.05
    assert position.enacted.belang == 0.5  # two different goals
    assert (position.enacted.pupils_with_data, position.enacted.decisions) == (2, 10)


def test_the_lesson_page_explains_both_dots_in_one_sentence_each(world, client):
    lesson = example_5(world)
    client.force_login(world.teacher)
    page = client.get(f"/leerkracht/les/{lesson.pk}/").content.decode()
    assert (
        "Van de 10 beslissingen die tot nu toe genomen zijn, namen leerlingen er 1 zelf: "
        "regie 5% (een keuze uit jouw opties telt half)." in page
    )
    assert "Twee willekeurige leerlingen werken in 50% van de gevallen aan iets anders." in page
    assert "Gebaseerd op 2 leerlingen; 0 zonder gegevens." in page
    assert 'data-testid="pending-sentence" hidden' in page  # every decision is taken
    # Intended: regie 0.1, belang 0 → (40, 253); enacted: regie 0.05, belang 0.5 → (175, 266.5)
    assert 'cx="40.0" cy="253.0" r="8" fill="#fff"' in page
    assert 'cx="175.0" cy="266.5" r="8" fill="#1c4e80"' in page


def test_with_fewer_than_two_pupils_belang_is_not_drawn(world, client):
    lesson = classroom_actions.create_lesson(
        group=world.group, title="Alleen Noor", subject="rekenen", place_openness="free"
    )
    classroom_actions.start_lesson(lesson, acting_user=world.teacher)
    entries.choose(pupil=world.pupil, lesson=lesson, aspect="place", value=world.place.pk)
    client.force_login(world.teacher)
    page = client.get(f"/leerkracht/les/{lesson.pk}/").content.decode()
    assert 'data-testid="enacted-dot"' not in page
    assert "belang kan nog niet worden bepaald" in page
    assert "1 zonder gegevens" in page


def test_a_lesson_being_filled_in_says_what_is_not_taken_yet(world, client):
    """Goal and place open: Noor chose her place only. Regie is over her 4 decisions taken
    (3 fixed, 1 hers), not 5, and the page says 1 is not taken yet; the sentence and the
    dot use the same rounded number."""
    lesson = classroom_actions.create_lesson(
        group=world.group,
        title="Half ingevuld",
        subject="rekenen",
        place_openness="free",
        goal_openness="free",
    )
    classroom_actions.start_lesson(lesson, acting_user=world.teacher)
    entries.choose(pupil=world.pupil, lesson=lesson, aspect="place", value=world.place.pk)
    position = dashboard.lesson_position(lesson)
    assert (position.enacted.decisions, position.enacted.by_pupils) == (4, 1)
    assert position.enacted.pending == 1 and position.enacted.regie == 0.25
    client.force_login(world.teacher)
    page = client.get(f"/leerkracht/les/{lesson.pk}/").content.decode()
    assert "Van de 4 beslissingen die tot nu toe genomen zijn, namen leerlingen er 1 zelf" in page
    assert "regie 25%" in page and "Nog niet genomen: 1." in page
    summary = dashboard.summary(lesson, position)["quadrant"]["enacted"]
    assert (summary["regie_pct"], summary["pending"], summary["by_pupils"]) == (25, 1, 1)


def test_a_lesson_open_on_every_aspect_can_reach_full_regie(world):
    """Intended and enacted count the same five aspects: with order open the logbook asks
    "Wat doe ik eerst?", so a pupil who decides everything is at 100%."""
    lesson = classroom_actions.create_lesson(
        group=world.group,
        title="Helemaal vrij",
        subject="rekenen",
        **{f"{aspect}_openness": "free" for aspect in ASPECTS},
    )
    classroom_actions.start_lesson(lesson, acting_user=world.teacher)
    for aspect, value in [
        ("goal", [world.goal.pk]),
        ("instruction", {"wanted": False}),
        ("place", world.place.pk),
        ("partner", [world.classmate.pk]),
    ]:
        entries.choose(pupil=world.pupil, lesson=lesson, aspect=aspect, value=value)
    before = dashboard.lesson_position(lesson).enacted
    assert (before.decisions, before.pending, before.regie) == (4, 1, 1.0)
    entries.choose(pupil=world.pupil, lesson=lesson, aspect="order", value="hard")
    position = dashboard.lesson_position(lesson)
    assert position.intended_regie == 1.0
    assert (position.enacted.decisions, position.enacted.pending) == (5, 0)
    assert position.enacted.regie == 1.0 and position.pupils[world.pupil.pk][0] == 1.0


def test_the_sentence_the_table_and_the_event_round_alike(world, client):
    """Regie 12.5%: Python's round() says 12, JavaScript's 13; every place says 13."""
    lesson = classroom_actions.create_lesson(
        group=world.group,
        title="Afronden",
        subject="rekenen",
        goal_openness="choice",
        partner_openness="choice",
    )
    classroom_actions.configure_lesson(lesson, goals=[world.goal])
    classroom_actions.start_lesson(lesson, acting_user=world.teacher)
    entries.choose(pupil=world.pupil, lesson=lesson, aspect="goal", value=[world.goal.pk])
    entries.choose(pupil=world.classmate, lesson=lesson, aspect="partner", value=[world.pupil.pk])
    position = dashboard.lesson_position(lesson)
    assert position.enacted.regie == 0.125
    assert dashboard.summary(lesson, position)["quadrant"]["enacted"]["regie_pct"] == 13
    client.force_login(world.teacher)
    page = client.get(f"/leerkracht/les/{lesson.pk}/").content.decode()
    sentence = page.split('data-testid="regie-sentence"')[1].split("</p>")[0]
    assert "regie 13%" in sentence
    row = [r for r in page.split('data-testid="trajectory-row"')[1:] if "Afronden" in r][0]
    assert "regie 13%" in row.split("</tr>")[0]
