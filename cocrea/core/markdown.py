"""Markdown written by people (proposals, comments, minutes, rules) to safe HTML. markdown-it-py
renders CommonMark with raw HTML off, then nh3 keeps only the tags below: whatever a person
types, the page gets no script, no style, no event handler and no `javascript:` link. This is
the only place user text becomes markup (SECURITY.md, stored XSS)."""

from markdown_it import MarkdownIt
from markupsafe import Markup

# People write text, lists, links, quotes and code; no images (weight, tracking pixels), no
# headings above h3 (the page owns its outline), no tables.
ALLOWED_TAGS = {
    "p", "br", "strong", "em", "a", "ul", "ol", "li", "blockquote", "code", "pre", "h3", "h4", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href"}}
MAX_MARKDOWN_CHARS = 20_000

_renderer = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_renderer.disable("image")


def render_markdown(text: str) -> Markup:
    """Safe HTML for `text`. Headings are moved down to h3 so a comment never outranks the
    page's own headings; links get rel="nofollow ugc noopener" and open in the same tab."""
    import nh3

    html = _renderer.render(text or "")
    for level in (1, 2):
        html = html.replace(f"<h{level}>", "<h3>").replace(f"</h{level}>", "</h3>")
    for level in (5, 6):
        html = html.replace(f"<h{level}>", "<h4>").replace(f"</h{level}>", "</h4>")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow ugc noopener",
    )
    return Markup(cleaned)  # noqa: S704 - sanitised by nh3 just above
