"""What the participation domain announces after a commit, for whoever owns the side effect
(STYLE rule 5). Listeners: notify.py (the proposer's email)."""

from django.dispatch import Signal

# Sent with `response` once a response to a proposal is committed.
proposal_answered = Signal()
