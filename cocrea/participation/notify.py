"""The proposer is told when their proposal is answered: an email in the site's language, with
the answer's kind and a link to the public answer. Runs after the commit (events.py), so a
failed write sends nothing; a failed send is logged and changes nothing."""

import logging
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from cocrea.participation.models import Response

log = logging.getLogger(__name__)


def tell_the_proposer(sender: object, response: Response, **kwargs: Any) -> None:
    proposal = response.proposal
    author = proposal.author
    if author is None or not author.email or author.deleted_at or proposal.workshop_id:
        return
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "name": author.display_name,
            "proposal": proposal,
            "answer": response.get_kind_display(),
            "url": settings.COCREA_SITE_URL.rstrip("/") + proposal.get_absolute_url(),
            "site": settings.COCREA_SITE_NAME,
        }
        subject = render_to_string("participation/email/answered_subject.txt", context)
        body = render_to_string("participation/email/answered.txt", context)
    try:
        send_mail(" ".join(subject.split()), body, None, [author.email])
    except OSError:
        log.exception("Could not tell the proposer of %s", proposal.public_id)
