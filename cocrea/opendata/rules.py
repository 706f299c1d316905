"""Who manages an institution's API tokens: its coordinator, with two-factor authentication.
A token acts for the person who created it, so it stops working when they stop being able to
report for the institution (checked on every use, services.py)."""

from typing import Any

import rules

from cocrea.accounts.rules import is_point_of_contact_somewhere
from cocrea.opendata.models import ApiToken
from cocrea.plans.models import Institution, Membership
from cocrea.plans.rules import has_mfa, has_verified_email, is_administrator, runs_its_member


def _institution_id(obj: Any) -> int | None:
    if isinstance(obj, Institution):
        return obj.pk
    if isinstance(obj, ApiToken):
        return obj.institution_id
    return None


@rules.predicate
def coordinates_it(user: Any, obj: Any) -> bool:
    institution_id = _institution_id(obj)
    return bool(
        institution_id is not None
        and getattr(user, "is_authenticated", False)
        and Membership.objects.filter(
            user=user,
            institution_id=institution_id,
            role=Membership.Role.COORDINATOR,
            status=Membership.Status.APPROVED,
        ).exists()
    )


rules.add_perm("opendata.manage_tokens", has_verified_email & has_mfa & coordinates_it)

# Importing OGP's commitments database creates and changes plans, commitments and institutions
# of the members its rows name: asked per member (the upload is refused whole when one row is of
# a member the person does not run); a member's point of contact or an administrator, with
# two-factor authentication. The upload itself is open to the point of contact of any member;
# the rows decide.
rules.add_perm("opendata.import_ogp", has_mfa & runs_its_member)
rules.add_perm("opendata.upload_ogp", has_mfa & (is_point_of_contact_somewhere | is_administrator))
