"""The security-header gate: what is missing or too loose on a response."""

from django.http import HttpResponse


def security_header_problems(response: HttpResponse) -> list[str]:
    problems = []
    csp = response.get("Content-Security-Policy", "")
    directives = {
        part.strip().split(" ", 1)[0]: part.strip().partition(" ")[2]
        for part in csp.split(";")
        if part.strip()
    }
    if directives.get("default-src") != "'self'":
        problems.append("Content-Security-Policy without default-src 'self'")
    if directives.get("frame-ancestors") != "'none'":
        problems.append("Content-Security-Policy without frame-ancestors 'none'")
    if "unsafe-inline" in csp or "unsafe-eval" in csp:
        problems.append("Content-Security-Policy allows inline code")
    expected = {
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "X-Frame-Options": "DENY",
    }
    for header, value in expected.items():
        if response.get(header) != value:
            problems.append(f"{header} is not {value}")
    policy = response.get("Permissions-Policy", "")
    for feature in ("camera=()", "geolocation=()", "microphone=()"):
        if feature not in policy:
            problems.append(f"Permissions-Policy does not switch off {feature}")
    return problems
