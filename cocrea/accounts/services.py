"""Every write to accounts, audited like any other change. Events name people by public name."""

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from cocrea.accounts.models import RoleGrant, User
from cocrea.audit.services import event_record


def user_set_public_name(*, actor: Any, user: User, public_name: str) -> User:
    with transaction.atomic():
        old = user.public_name
        user.public_name = public_name
        user.full_clean(exclude=["password", "username"])
        user.save(update_fields=["public_name"])
        event_record(
            actor=actor,
            action="user.public_name",
            target=user,
            changes={"public_name": [old, public_name]},
        )
    return user


def role_grant(*, actor: Any, user: User, role: str, member: Any) -> RoleGrant:
    """Give a role in one OGP member (`member`: a `plans.Member`)."""
    with transaction.atomic():
        grant, created = RoleGrant.objects.get_or_create(user=user, role=role, member=member)
        if created:
            event_record(
                actor=actor,
                action="role.grant",
                target=user,
                changes={"role": [None, role], "member": [None, member.code]},
            )
    return grant


def role_revoke(*, actor: Any, user: User, role: str, member: Any) -> None:
    with transaction.atomic():
        if RoleGrant.objects.filter(user=user, role=role, member=member).delete()[0]:
            event_record(
                actor=actor,
                action="role.revoke",
                target=user,
                changes={"role": [role, None], "member": [member.code, None]},
            )


def user_delete(*, actor: Any, user: User) -> None:
    """Delete an account but keep its public contributions under a neutral name: personal data
    (email addresses, names, password, sessions' link to it) goes; the row stays as an anchor."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    with transaction.atomic():
        event_record(actor=actor, action="user.delete", target=user, changes={})
        EmailAddress.objects.filter(user=user).delete()
        Authenticator.objects.filter(user=user).delete()
        RoleGrant.objects.filter(user=user).delete()
        user.username = f"deleted-{user.public_id}"
        user.email = ""
        user.first_name = ""
        user.last_name = ""
        user.public_name = ""
        user.is_active = False
        user.is_staff = False
        user.is_superuser = False
        user.set_unusable_password()
        user.deleted_at = timezone.now()
        user.save()
        # Apps above accounts delete what they keep of the person's own (settings, no imports).
        for path in settings.COCREA_ACCOUNT_DELETION_HOOKS:
            import_string(path)(user)
