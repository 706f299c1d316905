from django import template
from django.forms import BoundField
from django.template.loader import get_template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag
def select(field: BoundField) -> SafeString:
    """A <select> for a single-choice form field, built directly: Django's widget templates render
    one template per option, which cost a third of a page with two filters (measured)."""
    selected = "" if field.value() is None else str(field.value())
    options = format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (value, " selected" if str(value) == selected else "", label)
            for value, label in field.field.choices  # type: ignore[attr-defined]
        ),
    )
    return format_html(
        '<select name="{}" id="{}"{}>{}</select>',
        field.html_name,
        field.id_for_label,
        mark_safe(' aria-invalid="true"') if field.errors else "",
        options,
    )


@register.simple_tag(takes_context=True)
def site_chrome(context: template.Context, part: str) -> SafeString:
    """The site's header or footer, for pages in Django templates (the account pages of
    allauth): rendered from the same Jinja2 partial as every other page, so there is one copy."""
    request = context["request"]
    html = get_template(f"includes/{part}.html", using="jinja2").render(request=request)
    return mark_safe(html)  # noqa: S308 - rendered by the autoescaping Jinja2 engine
