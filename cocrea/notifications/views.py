"""Following and unfollowing (plain forms that work without JavaScript) and the person's
notifications."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from cocrea.core.decorators import acts
from cocrea.core.ratelimits import submission_limited
from cocrea.notifications import delivery, selectors, services, targets, wording
from cocrea.plans.rules import allowed


def _target_or_404(request: HttpRequest) -> models.Model:
    """The thing the form names. Unknown, malformed or missing: 404, as for an address."""
    target = targets.find(
        request.POST.get("kind", "").strip(), request.POST.get("target", "").strip()
    )
    if target is None:
        raise Http404
    return target


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    """To the page the form was on, when it is one of ours; else to the thing's page."""
    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(next_url)
    return redirect(fallback)


@acts("notifications.follow")
@require_POST
@login_required
def follow(request: HttpRequest) -> HttpResponse:
    # Each follow is a write (an audit event, the data version): limited like any submission.
    if limited := submission_limited(request):
        return limited
    target = _target_or_404(request)
    # What they cannot see is not theirs to know of: the same answer as a missing thing.
    if not allowed("notifications.follow", request.user, target):
        raise Http404
    services.follow_add(actor=request.user, target=target)
    messages.success(
        request,
        _("You follow “%(title)s”. Its news will appear in your notifications.")
        % {"title": target},
    )
    return _back(request, target.get_absolute_url())  # type: ignore[attr-defined]


@acts("authenticated")
@require_POST
@login_required
def unfollow(request: HttpRequest) -> HttpResponse:
    if limited := submission_limited(request):
        return limited
    target = _target_or_404(request)
    visible = allowed("notifications.follow", request.user, target)
    if not visible:
        # Hidden or unpublished since it was followed: it can still be unfollowed, but its
        # title is not told, and one not followed is not found (as for following it).
        if not selectors.is_following(request.user, target):
            raise Http404
        services.follow_remove(actor=request.user, target=target)
        messages.success(request, _("You no longer follow it."))
        return _back(request, reverse("accounts:my_space"))
    services.follow_remove(actor=request.user, target=target)
    messages.success(request, _("You no longer follow “%(title)s”.") % {"title": target})
    return _back(request, target.get_absolute_url())  # type: ignore[attr-defined]


@require_safe
@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    """The person's notifications, newest first; the unread ones marked."""
    page = Paginator(selectors.notifications_of(request.user), settings.COCREA_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "notifications/list.html",
        # The same words as the emails: what it is (a reminder says how soon), and what more.
        {"page": page, "headline": delivery.describe, "detail": wording.describe},
    )


@acts("authenticated")
@require_POST
@login_required
def mark_read(request: HttpRequest) -> HttpResponse:
    """Mark one notification read (`id`), or all of them (no `id`)."""
    user: Any = request.user
    raw = request.POST.get("id", "").strip()
    if raw and not (raw.isdigit() and len(raw) < 19):
        return render(request, "notifications/bad_request.html", status=400)
    done = services.notifications_mark_read(actor=user, ids=[int(raw)] if raw else None)
    if not raw:
        messages.success(request, _("All your notifications are marked as read."))
    elif not done:
        messages.info(request, _("That notification was already read."))
    return _back(request, reverse("notifications:list"))
