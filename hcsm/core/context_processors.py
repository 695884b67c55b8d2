from django.http import HttpRequest

from .permissions import Perm, can, role_of


def roles(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    return {
        "user_role": role_of(user),
        "can_moderate": can(user, Perm.MODERATE),
        "can_submit": can(user, Perm.SUBMISSION_CREATE),
    }
