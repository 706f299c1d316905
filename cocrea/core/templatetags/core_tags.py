from django import template
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def site_chrome(context: template.Context, part: str) -> SafeString:
    """The site's header or footer, for pages in Django templates (the account pages of
    allauth): rendered from the same Jinja2 partial as every other page, so there is one copy."""
    request = context["request"]
    html = get_template(f"includes/{part}.html", using="jinja2").render(request=request)
    return mark_safe(html)  # noqa: S308 - rendered by the autoescaping Jinja2 engine
