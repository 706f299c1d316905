"""What each domain app adds to the project-wide checks, one module per app, so apps built in
parallel never edit the same test file:

- `SCENARIOS`: url name -> scenario for tests/test_authorization_matrix.py (same shape as there:
  a function of (personas, institutions) returning url, data, expected outcomes, changed());
- `READ_ONLY`: url names of views that change nothing and are not public pages;
- `samples(plan, commitment, person)`: url name -> function giving the arguments of each public
  page of the app, filled with real objects (tests/pages.py), or building them.
"""

ALLOWED, FORBIDDEN, LOGIN = "allowed", "forbidden", "login"


def modules() -> list:
    """Every app's module in this package, found on disk."""
    import importlib
    import pkgutil

    return [
        importlib.import_module(f"{__name__}.{info.name}")
        for info in sorted(pkgutil.iter_modules(__path__), key=lambda info: info.name)
    ]
