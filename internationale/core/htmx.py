"""Progressive enhancement with htmx: the same view answers a full page or a fragment.

A page that uses htmx loads it with `{% block scripts %}{% include "core/htmx.html" %}
{% endblock %}`; a view answering an htmx request renders a named fragment of the same
template (`"app/page.html#fragment"`, from django-template-partials).
"""

from django.http import HttpRequest


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"
