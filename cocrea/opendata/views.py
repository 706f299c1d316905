"""The API's documentation as a page of the site, built from the OpenAPI document itself: the
same gates as every public page (no JavaScript, accessible, valid HTML, light)."""

from functools import lru_cache
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cocrea.core.decorators import public_page
from cocrea.opendata.api import api


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
