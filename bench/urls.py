"""The real URLs plus /bench/bare-write/: one INSERT, without permissions, idempotency,
usage events or realtime, the floor a write costs on the same server and database."""

from django.http import JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from classroom.models import UsageEvent
from config.urls import urlpatterns as real


@csrf_exempt
def bare_write(request):
    UsageEvent.objects.create(verb="bench", object_type="", context={})
    return JsonResponse({"ok": True})


urlpatterns = [path("bench/bare-write/", bare_write), *real]
