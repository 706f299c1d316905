"""Email preferences (signed in) and the signed one-click unsubscribe (no log-in: the link in
each email, RFC 8058)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from cocrea.core.decorators import acts
from cocrea.notifications import delivery, services_mail
from cocrea.notifications.forms_mail import PreferencesForm
from cocrea.notifications.models import Kind


@acts("authenticated")
@require_http_methods(["GET", "POST"])
@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    form = PreferencesForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            try:
                services_mail.preferences_set(
                    actor=request.user,
                    deliveries=form.deliveries(),
                    language=form.cleaned_data["language"],
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("Your email preferences are saved."))
                return redirect("notifications:preferences")
        else:
            messages.error(request, _("Nothing was changed: choose one option in each list."))
        response = render(request, "notifications/preferences.html", {"form": form})
        response.status_code = 400
        return response
    return render(request, "notifications/preferences.html", {"form": form})


# Mail clients post the one-click unsubscribe (RFC 8058) with no CSRF token and no session: the
# signed token is what proves the request, and it can only turn emails off.
@acts("signed link")
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    found = delivery.unsubscribe_read(token)
    if found is None:
        return render(request, "notifications/unsubscribe_invalid.html", status=400)
    kind_label = (
        _("all notifications") if found.kind == services_mail.ALL else Kind(found.kind).label
    )
    if request.method == "POST":
        # Nothing to choose: a mail client's one-click POST (List-Unsubscribe=One-Click) and the
        # confirm form's button do the same.
        services_mail.unsubscribe(user=found.user, kind=found.kind)
        return render(request, "notifications/unsubscribed.html", {"kind": kind_label})
    # A GET changes nothing: mail scanners open links before people do.
    return render(request, "notifications/unsubscribe.html", {"kind": kind_label})
