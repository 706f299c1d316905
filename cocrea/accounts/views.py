import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from cocrea.accounts import selectors, services
from cocrea.accounts.forms import DeleteAccountForm
from cocrea.accounts.models import User
from cocrea.core.decorators import acts, public_page


@require_safe
@login_required
def my_space(request: HttpRequest) -> HttpResponse:
    """What the person can act on now; each domain app adds its section."""
    sections = [import_string(path)(request) for path in settings.COCREA_MY_SPACE_SECTIONS]
    return render(request, "accounts/my_space.html", {"sections": sections})


@public_page
def profile(request: HttpRequest, public_id: str) -> HttpResponse:
    person = get_object_or_404(User, public_id=public_id, is_active=True, deleted_at=None)
    sections = [import_string(path)(request, person) for path in settings.COCREA_PROFILE_SECTIONS]
    return render(request, "accounts/profile.html", {"person": person, "sections": sections})


@public_page
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/privacy.html")


@require_safe
@login_required
def data_export(request: HttpRequest) -> HttpResponse:
    """Everything Cocrea stores about the person, as JSON (their own data, so private)."""
    data = selectors.personal_data(user=request.user)  # type: ignore[arg-type]
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="cocrea-mis-datos.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@acts("authenticated")
@require_http_methods(["GET", "POST"])
@login_required
def account_delete(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.user_delete(actor=request.user, user=request.user)  # type: ignore[arg-type]
        logout(request)
        messages.success(request, _("Your account was deleted."))
        return redirect("plans:home")
    return render(request, "accounts/delete.html", {"form": form})
