"""Progressive enhancement with htmx: the same view answers a full page or a fragment."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def render_page_or_partial(
    request: HttpRequest,
    template_name: str,
    partial: str,
    context: dict[str, Any],
    *,
    status: int = 200,
) -> HttpResponse:
    """Render `template_name`, or only its `partial` (django-template-partials) for htmx."""
    name = f"{template_name}#{partial}" if is_htmx(request) else template_name
    return render(request, name, context, status=status)
