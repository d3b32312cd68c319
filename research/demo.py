"""The demo school's research part: a study of groep 8 with a researcher, consent for
most of the class, and a design team's intervention with the procenten lesson in it."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from classroom.models import Group

from . import actions
from .models import ConsentStatus, Dataset, Phase


def seed(school, password: str) -> None:
    today = timezone.localdate()
    group = Group.objects.get(school=school, name="Groep 8")
    teacher = group.teachers.first()
    admin = school.memberships.get(role="school_admin").user
    researcher = get_user_model().objects.create_user(
        "onderzoeker", password=password, first_name="Dr. Sanne", last_name="de Wit"
    )
    study = actions.save_study(
        None,
        school=school,
        title="Regie en belang in de rekenles",
        description="Kiezen leerlingen van groep 8 vaker zelf als de les daar ruimte voor geeft?",
        groups=[group],
        start_date=today - timedelta(days=60),
        end_date=today + timedelta(days=120),
        datasets=list(Dataset.values),
        researchers=[researcher],
    )
    for i, pupil in enumerate(group.pupils.order_by("display_name")):
        status = ConsentStatus.REFUSED if i % 7 == 6 else ConsentStatus.GIVEN
        actions.set_consent(study=study, pupil=pupil, status=status, acting_user=admin)
    intervention = actions.save_intervention(
        None,
        school=school,
        title="Zelf kiezen met een keuzebord",
        practice_question="Hoe geven we leerlingen van groep 8 meer regie over hun rekenwerk?",
        working_hypothesis="Als leerlingen hun doel en instructie kiezen op een keuzebord, "
        "nemen zij meer beslissingen zelf zonder dat de les onrustig wordt.",
        design_requirements="Past in een rekenles van 45 minuten; werkt op de Chromebooks; "
        "de leerkracht ziet in één oogopslag wie instructie wil.",
        groups=[group],
        start_date=today - timedelta(days=30),
        end_date=today + timedelta(days=150),
        members=[teacher, admin, researcher],
    )
    for lesson in group.lessons.all():
        actions.link_lesson(intervention=intervention, lesson=lesson, phase=Phase.INTENDED)
    actions.add_observation(
        intervention=intervention,
        acting_user=teacher,
        date=today,
        text="Eerste les met het keuzebord gepland; de klas is benieuwd.",
    )
