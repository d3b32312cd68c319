"""The pupil's own pages."""

from django.contrib.auth import logout
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from classroom.models import Lesson
from classroom.permissions import pupil_of, readable

from ..access import pupil_required
from .auth import class_grid_url
from .planboard import todays_board


@pupil_required
def home(request):
    pupil = pupil_of(request.user)
    today = timezone.localdate()
    lessons = list(readable(request.user, Lesson.objects.filter(date=today)).order_by("title"))
    running = [lesson for lesson in lessons if lesson.is_running]
    # Ended today and still open for "how did it go?": the lesson's end starts it.
    evaluating = [lesson for lesson in lessons if not lesson.is_running and lesson.evaluation_open]
    context = {
        "evaluating": evaluating,
        "pupil": pupil,
        "lessons": lessons,
        "running": running,
        "has_board": todays_board(pupil.group) is not None,
    }
    return render(request, "pupil/home.html", context)


@require_POST
@pupil_required
def switch(request):
    """One tap on a shared Chromebook: log this pupil out and show the class again."""
    target = class_grid_url(pupil_of(request.user))
    logout(request)
    return redirect(target)
