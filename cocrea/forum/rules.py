"""Who may manage the forum: the point of contact, with two-factor authentication. Everything
the forum publishes is public, so there is no rule for reading."""

import rules

from cocrea.accounts.rules import desk_permissions
from cocrea.plans.rules import has_mfa, runs_its_member

# Of the forum (or meeting) asked about: its member's point of contact, or an administrator.
can_manage = runs_its_member & has_mfa

# Meetings, minutes, documents, seats and the forum's rules.
rules.add_perm("forum.manage", can_manage)

# The point of contact's desk in the administration (accounts/rules.py): the forum and its seats
# edited through the services; meetings read there (they are managed on their pages).
desk_permissions(
    "forum",
    {"forum": ("view", "change"), "forumseat": ("view", "add", "change"), "meeting": ("view",)},
)
