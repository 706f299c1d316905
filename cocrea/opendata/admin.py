"""The administration's upload of OGP's commitments database: upload a CSV or XLSX, read the
check's report (what would be created and changed, unknown columns, every bad row), then import.
Both steps run in the background (tasks.py); the page follows them. Only those the rule
`opendata.import_ogp` allows see any of it."""

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cocrea.accounts.desk import desk_members
from cocrea.opendata import imports
from cocrea.opendata.models import OgpImport
from cocrea.opendata.ogp import KINDS, export_commitments, export_write
from cocrea.plans.models import ActionPlan, Member
from cocrea.plans.rules import allowed


class UploadForm(forms.ModelForm):
    upload = forms.FileField(
        label=gettext_lazy("OGP commitments file"),
        help_text=gettext_lazy(
            "A CSV (UTF-8) or XLSX file in the columns of OGP's commitments database. It is "
            "checked first: nothing changes until you read the report and confirm the import."
        ),
    )

    oversized: str | None = None  # a file the upload handler stopped reading (core/uploads.py)

    class Meta:
        model = OgpImport
        fields: list[str] = []

    def clean(self) -> Any:
        if self.oversized:
            self.add_error(
                "upload",
                _("The file %(name)s is larger than %(limit)s.")
                % {
                    "name": self.oversized,
                    "limit": filesizeformat(settings.COCREA_IMPORT_MAX_BYTES),
                },
            )
        return super().clean()

    def clean_upload(self) -> Any:
        upload = self.cleaned_data["upload"]
        imports.ogp_file_check(upload)
        return upload


@admin.register(OgpImport)
class OgpImportAdmin(admin.ModelAdmin):
    form = UploadForm
    list_display = ["file_name", "status", "uploaded_by", "created_at", "imported_at"]
    list_filter = ["status"]
    readonly_fields = [
        "file_name",
        "size_display",
        "sha256",
        "status",
        "uploaded_by",
        "created_at",
        "checked_at",
        "confirmed_by",
        "imported_at",
        "report_display",
    ]

    def _allowed(self, request: HttpRequest) -> bool:
        # The rule is the point of contact (of any member: each row is then checked against its
        # own member) or an administrator, with two factors: the point of contact's desk without
        # the staff flag (accounts/rules.py).
        return allowed("opendata.upload_ogp", request.user)

    def get_queryset(self, request: HttpRequest) -> Any:
        """A point of contact sees the files they uploaded; an administrator every file."""
        imports = super().get_queryset(request)
        if desk_members(request) is None:
            return imports
        return imports.filter(uploaded_by=request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False  # what was uploaded and found is a record; the import is a button

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        oversized = getattr(request, "oversized_upload", None)
        return type(form.__name__, (form,), {"oversized": oversized}) if oversized else form

    def get_fields(self, request: HttpRequest, obj: Model | None = None) -> Any:
        return ["upload"] if obj is None else self.readonly_fields

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> Any:
        return [] if obj is None else self.readonly_fields

    @admin.display(description=gettext_lazy("size"))
    def size_display(self, obj: OgpImport) -> str:
        return filesizeformat(obj.size)

    @admin.display(description=gettext_lazy("report"))
    def report_display(self, obj: OgpImport) -> SafeString:
        report = obj.report or {}
        kinds = {key: str(label) for key, label in KINDS.items()}
        return SafeString(
            render_to_string(
                "admin/opendata/ogpimport/report.html",
                {
                    "item": obj,
                    "report": report,
                    "created": [(kinds.get(k, k), n) for k, n in report.get("created", {}).items()],
                    "changed": [(kinds.get(k, k), n) for k, n in report.get("changed", {}).items()],
                    "unlisted": report.get("warning_count", 0) - len(report.get("warnings", [])),
                },
            )
        )

    def save_model(self, request: HttpRequest, obj: OgpImport, form: Any, change: bool) -> None:
        item = imports.ogp_import_upload(actor=request.user, upload=form.cleaned_data["upload"])
        obj.pk, obj.file_name, obj.created_at = item.pk, item.file_name, item.created_at

    def response_add(self, request: HttpRequest, obj: Model, post_url_continue: Any = None) -> Any:
        messages.info(request, _("The file is being checked. This page shows the report."))
        return HttpResponseRedirect(reverse("admin:opendata_ogpimport_change", args=[obj.pk]))

    def get_urls(self) -> list[Any]:
        return [
            path(
                "export/",
                self.admin_site.admin_view(self.export_view),
                name="opendata_ogpimport_export",
            ),
            path(
                "<int:object_id>/import/",
                self.admin_site.admin_view(self.confirm_view),
                name="opendata_ogpimport_confirm",
            ),
            *super().get_urls(),
        ]

    def export_view(self, request: HttpRequest) -> HttpResponse:
        """OGP's commitments database as a CSV: every commitment with an OGP id (with
        `?member=<code>`, of that OGP member only), or with `?plan=<slug>` every commitment of
        that plan (a new plan's, to send to OGP)."""
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        if not self._allowed(request):
            raise PermissionDenied
        plan = None
        if "plan" in request.GET:
            plan = get_object_or_404(ActionPlan, slug=request.GET["plan"][:200])
        member = None
        if "member" in request.GET:
            member = get_object_or_404(Member, code=request.GET["member"][:20])
        which = plan.slug if plan else (member.slug if member else "all")
        name = f"ogp-commitments-{which}.csv"
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        export_write(response, export_commitments(plan, member))
        return response

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> Any:
        export_url = reverse("admin:opendata_ogpimport_export")
        extra = {
            "export_url": export_url,
            "member_exports": [
                (name, f"{export_url}?{urlencode({'member': code})}")
                for name, code in Member.objects.values_list("name", "code")
            ],
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra)

    def confirm_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self._allowed(request):
            raise PermissionDenied
        item = get_object_or_404(self.get_queryset(request), pk=object_id)
        try:
            imports.ogp_import_confirm(actor=request.user, item=item)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.info(request, _("The import has started. This page shows its result."))
        return HttpResponseRedirect(reverse("admin:opendata_ogpimport_change", args=[item.pk]))
