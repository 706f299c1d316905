"""Who may do what in the plans domain, as named `rules` predicates. Objects are checked, not
only roles: a coordinator decides only for their own institution."""

from typing import Any

import rules
from allauth.account.models import EmailAddress
from django.db import models

from cocrea.accounts.models import RoleGrant
from cocrea.accounts.rules import desk_permissions, holds_role, members_where
from cocrea.accounts.rules import has_mfa as has_mfa  # the rules live with accounts
from cocrea.plans.models import Institution, Member, Membership

# How a thing leads to its OGP member, first match wins: each scoped model either has a
# `member` (plan, institution, forum) or one of these links up to something that has.
_LINKS_UP = (
    "plan",
    "commitment",
    "milestone",
    "consultation",
    "proposal",
    "comment",
    "version",
    "draft",
    "meeting",
    "forum",
    "institution",
    "report",
)


def member_of(obj: Any) -> int | None:
    """The id of the OGP member a thing belongs to, the one whose roles act on it; None for
    anything else (then no member-scoped rule allows)."""
    if obj is None or not isinstance(obj, models.Model):
        return None
    if isinstance(obj, Member):
        return obj.pk
    member_id = getattr(obj, "member_id", None)
    if member_id is not None:
        return int(member_id)
    for name in _LINKS_UP:
        parent = getattr(obj, name, None)  # an unset link raises an AttributeError: None
        if isinstance(parent, models.Model):
            return member_of(parent)
    return None


def _role_in_its_member(role: str, name: str) -> rules.Predicate:
    def check(user: Any, obj: Any) -> bool:
        return holds_role(user, role, member_of(obj))

    return rules.predicate(check, name=name)


# The roles, each in the member of the object asked about (ADR 10).
is_point_of_contact = _role_in_its_member(RoleGrant.Role.POINT_OF_CONTACT, "is_point_of_contact")
is_moderator = _role_in_its_member(RoleGrant.Role.MODERATOR, "is_moderator")
is_forum_member = _role_in_its_member(RoleGrant.Role.FORUM_MEMBER, "is_forum_member")


@rules.predicate
def has_verified_email(user: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and EmailAddress.objects.filter(user=user, verified=True).exists()
    )


@rules.predicate
def is_civil_society_member(user: Any, obj: Any = None) -> bool:
    """A member of a civil-society organisation of the thing's OGP member (of any member when
    the rule is asked without a thing)."""
    if not getattr(user, "is_authenticated", False):
        return False
    memberships = Membership.objects.filter(
        user=user,
        status=Membership.Status.APPROVED,
        institution__kind=Institution.Kind.CIVIL_SOCIETY,
    )
    if obj is not None:
        member_id = member_of(obj)
        if member_id is None:
            return False
        memberships = memberships.filter(institution__member_id=member_id)
    return memberships.exists()


def civil_society_organisations(user: Any, obj: Any = None) -> list[Institution]:
    """The civil-society organisations on whose behalf this person may publish: of the
    thing's OGP member when one is given."""
    if not getattr(user, "is_authenticated", False):
        return []
    organisations = Institution.objects.filter(
        memberships__user=user,
        memberships__status=Membership.Status.APPROVED,
        kind=Institution.Kind.CIVIL_SOCIETY,
    )
    if obj is not None:
        member_id = member_of(obj)
        if member_id is None:
            return []
        organisations = organisations.filter(member_id=member_id)
    return list(organisations.order_by("name"))


@rules.predicate
def is_administrator(user: object) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_superuser", False))


def members_run_by(user: Any) -> set[int] | None:
    """The members whose work queues this person sees as their point of contact: None for
    every member (an administrator), an empty set for anyone else."""
    if is_administrator(user):
        return None
    return members_where(user, RoleGrant.Role.POINT_OF_CONTACT)


def members_moderated_by(user: Any) -> set[int] | None:
    """The members whose flags this person handles: as moderator or point of contact; None for
    every member (an administrator)."""
    if is_administrator(user):
        return None
    return members_where(user, RoleGrant.Role.MODERATOR) | members_where(
        user, RoleGrant.Role.POINT_OF_CONTACT
    )


# Who runs a member's process: its point of contact, or a site administrator (every member);
# who moderates it: its moderators, or an administrator. Rules add `has_mfa` to both.
runs_its_member = is_point_of_contact | is_administrator
moderates_its_member = is_moderator | is_administrator


@rules.predicate
def is_coordinator_of_its_institution(user: Any, membership: Membership | None) -> bool:
    return bool(
        membership is not None
        and getattr(user, "is_authenticated", False)
        and Membership.objects.filter(
            user=user,
            institution_id=membership.institution_id,
            role=Membership.Role.COORDINATOR,
            status=Membership.Status.APPROVED,
        ).exists()
    )


@rules.predicate
def is_pending(user: object, membership: Membership | None) -> bool:
    return membership is not None and membership.status == Membership.Status.PENDING


@rules.predicate
def is_own(user: object, membership: Membership | None) -> bool:
    return membership is not None and membership.user_id == getattr(user, "pk", None)


can_request_membership = has_verified_email
can_decide_membership = (
    is_pending & ~is_own & has_mfa & (runs_its_member | is_coordinator_of_its_institution)
)

# The repository itself (members, plans, commitments, milestones, institutions): the point of
# contact of the thing's member and administrators, with two factors; a new member, or a
# member, only an administrator (`plans.manage_members`). The services check it for every
# person; the system's own work (the demo, OGP imports' rows) passes no person.
can_manage_repository = runs_its_member & has_mfa

rules.add_perm("plans.request_membership", can_request_membership)
rules.add_perm("plans.decide_membership", can_decide_membership)
rules.add_perm("plans.manage_repository", can_manage_repository)
rules.add_perm("plans.manage_members", is_administrator & has_mfa)

# The point of contact's desk in the administration (accounts/rules.py): the repository edited
# through the services; OGP's policy areas and people's memberships read only (memberships are
# decided in My space, by rule).
desk_permissions(
    "plans",
    {
        "member": ("view", "change"),
        "actionplan": ("view", "add", "change"),
        "commitment": ("view", "add", "change"),
        "milestone": ("view", "add", "change", "delete"),
        "institution": ("view", "add", "change"),
        "policyarea": ("view",),
        "membership": ("view",),
    },
)


def allowed(permission: str, user: object, obj: object = None) -> bool:
    """The rule itself, without Django's shortcut that gives superusers every permission: an
    administrator too must meet the rule (two-factor authentication included)."""
    return bool(rules.has_perm(permission, user, obj))
