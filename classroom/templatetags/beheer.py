"""`user|opens_beheer`: whether the page shows the way to Beheer (decision 0016)."""

from django import template

from ..beheer import may_open_beheer

register = template.Library()


@register.filter
def opens_beheer(user) -> bool:
    """Staff whom Beheer lets in: not a teacher whose schools keep it for their admins."""
    return bool(user.is_active and user.is_staff and may_open_beheer(user))
