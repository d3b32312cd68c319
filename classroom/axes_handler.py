"""django-axes' database handler with a second limit, per address across usernames.

django-axes counts wrong passwords per (username, address) (AXES_LOCKOUT_PARAMETERS) and
locks that pair at AXES_FAILURE_LIMIT. One address could still try a password against
every username, so this handler also locks an address, for every username, once its
wrong passwords within the cool-off (AXES_COOLOFF_TIME) reach AXES_ADDRESS_FAILURE_LIMIT
(higher: a school's teachers share one address). A username's wrong passwords stop
counting when it logs in from that address (AXES_RESET_ON_SUCCESS). The address is
`classroom.throttle.client_address` (AXES_CLIENT_IP_CALLABLE).
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


def address_failures(request) -> int:
    """Wrong passwords from the request's address, any username, within the cool-off."""
    address = getattr(request, "axes_ip_address", None)
    if not address:
        return 0
    attempts = AccessAttempt.objects.filter(ip_address=address)
    if settings.AXES_COOLOFF_TIME is not None:
        attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class AddressLimitHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        failures = super().get_failures(request, credentials)
        limit = get_failure_limit(request, credentials)
        if failures < limit and address_failures(request) >= settings.AXES_ADDRESS_FAILURE_LIMIT:
            return limit
        return failures
