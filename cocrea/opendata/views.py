"""The API's documentation as a page of the site, built from the OpenAPI document itself: the
same gates as every public page (no JavaScript, accessible, valid HTML, light)."""

from functools import lru_cache
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from cocrea.core import words
from cocrea.core.decorators import acts, public_page
from cocrea.opendata import descriptions, documents, services
from cocrea.opendata.api import api
from cocrea.opendata.export import MEMBERS, member_archive_name
from cocrea.opendata.models import ApiToken
from cocrea.plans import selectors as plan_selectors
from cocrea.plans.models import Institution, Member
from cocrea.plans.rules import allowed


def _type(schema: dict[str, Any], components: dict[str, Any]) -> str:
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in schema:
        kinds = [_type(s, components) for s in schema["anyOf"] if s.get("type") != "null"]
        return " | ".join(kinds) + (" | null" if len(kinds) < len(schema["anyOf"]) else "")
    if schema.get("type") == "array":
        return f"list[{_type(schema.get('items', {}), components)}]"
    if "enum" in schema:
        return " | ".join(str(v) for v in schema["enum"])
    kind = str(schema.get("type", "object"))
    return f"{kind} ({schema['format']})" if "format" in schema else kind


@lru_cache(maxsize=1)
def operations() -> tuple[list[dict[str, Any]], dict[str, list[tuple[str, str]]], str]:
    """The operations, the fields of each returned schema, and the OpenAPI version."""
    document = api.get_openapi_schema(path_prefix="/api/v1/")
    components = document.get("components", {}).get("schemas", {})
    found = []
    for route, methods in document["paths"].items():
        for method, operation in methods.items():
            ok = operation.get("responses", {}).get("200", {})
            content = ok.get("content", {}).get("application/json", {}).get("schema", {})
            found.append(
                {
                    "method": method.upper(),
                    "path": route,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": [
                        (p["name"], p["in"], _type(p.get("schema", {}), components))
                        for p in operation.get("parameters", [])
                    ],
                    "returns": _type(content, components) if content else "",
                }
            )
    fields = {
        name: [
            (field, _type(spec, components)) for field, spec in schema.get("properties", {}).items()
        ]
        for name, schema in sorted(components.items())
    }
    return found, fields, str(document.get("openapi", ""))


@public_page
def api_docs(request: HttpRequest) -> HttpResponse:
    found, fields, version = operations()
    return render(
        request,
        "opendata/api_docs.html",
        {"operations": found, "schemas": fields, "openapi_version": version},
    )


def _latest() -> tuple[Path | None, list[Path]]:
    """The newest export's zip and the files of its folder."""
    root = Path(settings.COCREA_OPENDATA_ROOT)
    archives = sorted(root.glob("cocrea-datos-*.zip")) if root.is_dir() else []
    if not archives:
        return None, []
    archive = archives[-1]
    folder = root / archive.stem
    files = sorted(p for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []
    return archive, files


def _member_archives(archive: Path | None) -> dict[str, Path]:
    """Each member's package in the newest export, by its file name."""
    if archive is None:
        return {}
    folder = archive.parent / archive.stem / MEMBERS
    if not folder.is_dir():
        return {}
    return {p.name: p for p in folder.glob("cocrea-datos-*.zip") if p.is_file()}


def _member_packages(archive: Path | None, day: str) -> list[dict[str, Any]]:
    """Every member with a package in the newest export, in the members' order: one query."""
    archives = _member_archives(archive)
    listed = []
    for member in Member.objects.only("name", "slug", "code"):
        path = archives.get(member_archive_name(member.slug, day))
        if path is not None:
            listed.append({"member": member, "name": path.name, "size": path.stat().st_size})
    return listed


@public_page
def opendata(request: HttpRequest) -> HttpResponse:
    archive, files = _latest()
    day = archive.stem.removeprefix("cocrea-datos-") if archive else ""
    return render(
        request,
        "opendata/index.html",
        {
            "archive": archive,
            "offered": descriptions.offered(files),
            "archive_size": archive.stat().st_size if archive else 0,
            "day": words.day(day),
            "day_iso": day,
            "members": _member_packages(archive, day),
        },
    )


@require_safe
def download(request: HttpRequest, filename: str) -> FileResponse:
    """A file of the newest export, or a member's package of it, by its listed name only (no
    path from the request)."""
    archive, files = _latest()
    by_name = {**_member_archives(archive), **{p.name: p for p in files}}
    if archive is not None:
        by_name[archive.name] = archive
    path = by_name.get(filename)
    if path is None:
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name)


@public_page
def plan_document(request: HttpRequest, slug: str) -> HttpResponse:
    """The action plan in OGP's structure, to read and print."""
    context = documents.plan_document(plan=plan_selectors.plan_get(slug=slug))
    return render(request, "opendata/plan_document.html", context)


@require_safe
def plan_document_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    plan = plan_selectors.plan_get(slug=slug)
    context = {**documents.plan_document(plan=plan), "body": "opendata/_plan_body.html"}
    return documents.as_pdf(request, "opendata/document_pdf.html", context, f"{plan.slug}.pdf")


@public_page
def self_assessment(request: HttpRequest, slug: str) -> HttpResponse:
    """A draft of the end-of-term self-assessment, from the data."""
    context = documents.self_assessment(plan=plan_selectors.plan_get(slug=slug))
    return render(request, "opendata/self_assessment.html", context)


@require_safe
def self_assessment_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    plan = plan_selectors.plan_get(slug=slug)
    context = {**documents.self_assessment(plan=plan), "body": "opendata/_assessment_body.html"}
    return documents.as_pdf(
        request, "opendata/document_pdf.html", context, f"{plan.slug}-autoevaluacion.pdf"
    )


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("What uses it"),
        max_length=100,
        help_text=_("The system that will send the reports, e.g. «Ministry's planning system»."),
    )


@acts("opendata.manage_tokens")
@require_http_methods(["GET", "POST"])
@login_required
def tokens(request: HttpRequest, slug: str) -> HttpResponse:
    """The coordinator's page for the institution's API tokens: create (shown once), revoke."""
    institution = get_object_or_404(Institution, slug=slug)
    if not allowed("opendata.manage_tokens", request.user, institution):
        raise PermissionDenied
    form = TokenForm(request.POST if request.POST.get("action") == "create" else None)
    plain = ""
    if request.method == "POST" and request.POST.get("action") == "revoke":
        token = get_object_or_404(
            ApiToken, institution=institution, prefix=request.POST.get("prefix", "")
        )
        try:
            services.api_token_revoke(actor=request.user, token=token)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, gettext("The token is revoked."))
        return redirect("opendata:tokens", slug=institution.slug)
    if request.method == "POST" and form.is_valid():
        _token, plain = services.api_token_create(
            actor=request.user, institution=institution, name=form.cleaned_data["name"]
        )
        form = TokenForm()
    return render(
        request,
        "opendata/tokens.html",
        {
            "institution": institution,
            "tokens": list(ApiToken.objects.filter(institution=institution)),
            "form": form,
            "plain": plain,
        },
        status=400 if form.errors else 200,
    )
