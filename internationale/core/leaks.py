"""A harness that looks for private content leaking to people who may not read it.

Each module has a `leaks.py` that registers a planter: a function that, given the test
world of `internationale.core.testing.make_world()` and a unique marker string, creates
content of organization A that only A may read, with the marker in it, and returns a
`Planted` naming the objects (and any secret URL values, such as an invitation token)
that URL parameters can take.

The harness then walks the whole URL configuration, so that new pages and endpoints are
covered without being listed, fills every parameter with each planted value of the same
name, and requests every URL as other readers. A URL parameter is named after the model
whose object it takes (`<slug:organization>`, `<int:notice>`); a parameter that no planter
can fill fails the harness, so a new module must register its content.
"""

import importlib
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver

Planter = Callable[[dict[str, Any], str], "Planted"]

_planters: list[Planter] = []
SKIPPED_NAMESPACES = {"admin"}
MAX_COMBINATIONS = 12


@dataclass
class Planted:
    objects: list[models.Model]
    values: dict[str, list[str]] = field(default_factory=dict)


def register(planter: Planter) -> Planter:
    _planters.append(planter)
    return planter


def planters() -> list[Planter]:
    """Every module's planter: imports `<app>.leaks` of each of our apps."""
    for config in apps.get_app_configs():
        if config.name.startswith("internationale."):
            try:
                importlib.import_module(f"{config.name}.leaks")
            except ModuleNotFoundError as error:
                if error.name != f"{config.name}.leaks":
                    raise
    return list(_planters)


def plant_all(world: dict[str, Any], marker: str) -> Planted:
    planted = Planted(objects=[])
    for planter in planters():
        result = planter(world, marker)
        planted.objects.extend(result.objects)
        for key, values in result.values.items():
            planted.values.setdefault(key, []).extend(values)
    return planted


@dataclass(frozen=True)
class Route:
    name: str
    parameters: tuple[str, ...]


def routes() -> Iterator[Route]:
    """Every named URL of the site, with its parameters."""
    yield from _walk(get_resolver(), namespace="")


def _walk(resolver: URLResolver, namespace: str) -> Iterator[Route]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace or ""
            if inner in SKIPPED_NAMESPACES:
                continue
            yield from _walk(entry, f"{namespace}{inner}:" if inner else namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            pattern = entry.pattern
            params = tuple(getattr(pattern, "converters", {}).keys()) or tuple(
                pattern.regex.groupindex
            )
            yield Route(f"{namespace}{entry.name}", params)


def candidates(route: Route, planted: Planted) -> list[dict[str, str]] | None:
    """Every way to fill the route's parameters with planted values (None: no way)."""
    choices = []
    for parameter in route.parameters:
        values = [
            str(getattr(obj, "slug", None) or obj.pk)
            for obj in planted.objects
            if obj._meta.model_name == parameter
        ]
        values += planted.values.get(parameter, [])
        if not values:
            return None
        choices.append(sorted(set(values)))
    combos = itertools.islice(itertools.product(*choices), MAX_COMBINATIONS)
    return [dict(zip(route.parameters, combo, strict=True)) for combo in combos]
