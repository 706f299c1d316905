"""What the participation domain announces after a commit, for whoever owns the side effect
(STYLE rule 5). Listeners: notify.py (the proposer's email);
notifications/listeners.py (the author follows what they wrote on, when they asked to)."""

from django.dispatch import Signal

# Sent with `response` once a response to a proposal is committed.
proposal_answered = Signal()

# Sent with `proposal`, `actor` and `follow` (whether the author asked to follow it) once a
# proposal is committed.
proposal_created = Signal()

# Sent with `comment`, `proposal`, `actor` and `follow` (whether the author asked to follow the
# proposal) once a comment is committed.
comment_added = Signal()
