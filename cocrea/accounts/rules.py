"""Who may use the administration, as named `rules` predicates: staff (superusers included)
with an authenticator app set up. The administration also asks that this session passed the
second factor (`cocrea.accounts.admin_site`), so a password alone never opens it."""

from typing import Any

import rules
from allauth.mfa.models import Authenticator


@rules.predicate
def has_mfa(user: Any) -> bool:
    """Staff who publish, approve or administer must have an authenticator app (TOTP) set up."""
    return bool(
        getattr(user, "is_authenticated", False)
        and Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    )


@rules.predicate
def is_staff_member(user: Any) -> bool:
    """An account that Django would let into the administration: active and staff. A superuser
    counts only with `is_staff`, as in Django."""
    return bool(
        getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", False)
        and getattr(user, "is_staff", False)
    )


can_use_admin = is_staff_member & has_mfa

rules.add_perm("accounts.use_admin", can_use_admin)
