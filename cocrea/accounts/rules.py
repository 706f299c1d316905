"""Who may use the administration, as named `rules` predicates: staff (superusers included) and
the point of contact, with an authenticator app set up. The administration also asks that this
session passed the second factor (`cocrea.accounts.admin_site`), so a password alone never opens
it. What the point of contact may see and change there is granted per model by each app's
rules (`<app>.<action>_<model>` permissions), not by Django's permission tables: the role is
the grant, and taking the role away takes the desk away."""

from typing import Any

import rules
from allauth.mfa.models import Authenticator

from cocrea.accounts.models import RoleGrant


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


def holds_role(user: Any, role: str, member_id: int | None) -> bool:
    """Whether this person holds this role in this OGP member. Roles are per member: the point
    of contact of one member is nobody in another (`RoleGrant`)."""
    return bool(
        member_id is not None
        and getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", False)
        and RoleGrant.objects.filter(user=user, role=role, member_id=member_id).exists()
    )


def members_where(user: Any, role: str) -> set[int]:
    """The members in which this person holds this role (an empty set for a visitor)."""
    if not (getattr(user, "is_authenticated", False) and getattr(user, "is_active", False)):
        return set()
    return set(RoleGrant.objects.filter(user=user, role=role).values_list("member_id", flat=True))


@rules.predicate
def is_point_of_contact_somewhere(user: Any) -> bool:
    """The government's point of contact for OGP in at least one member: opens the
    administration's desk, which then shows only their members' things (ADR 10)."""
    return bool(members_where(user, RoleGrant.Role.POINT_OF_CONTACT))


# The point of contact's desk: what their role lets them do in the administration, as Django
# permission names that each app grants to it in its rules.py (`desk_permissions`).
runs_the_desk = is_point_of_contact_somewhere & has_mfa

can_use_admin = (is_staff_member | is_point_of_contact_somewhere) & has_mfa


def desk_permissions(app_label: str, grants: dict[str, tuple[str, ...]]) -> None:
    """Grant the point of contact's desk `<app>.<action>_<model>` for each model and action
    listed, and the app's module permission (the administration lists the app)."""
    rules.add_perm(app_label, runs_the_desk)
    for model, actions in grants.items():
        for action in actions:
            rules.add_perm(f"{app_label}.{action}_{model}", runs_the_desk)


rules.add_perm("accounts.use_admin", can_use_admin)
