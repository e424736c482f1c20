"""A query parameter given more than once where the route takes one value is refused (422).

FastAPI keeps the last value of a repeated scalar parameter, so `?carrier=UPS&carrier=DHL`
on a route that reads one carrier would silently answer for DHL alone. Parameters declared
as lists (the analytics filters) take every value; every other one must be given once.
"""

import types
from typing import Annotated, Any, Union, get_args, get_origin

from fastapi.dependencies.models import Dependant
from starlette.requests import HTTPConnection

from app.core.errors import ValidationError


def _is_sequence(annotation: Any) -> bool:
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType, Annotated):
        return any(
            _is_sequence(arg)
            for arg in get_args(annotation)[: None if origin is not Annotated else 1]
        )
    return origin in (list, set, tuple, frozenset)


def _scalar_query_names(dependant: Dependant) -> frozenset[str]:
    names = {
        field.alias
        for field in dependant.query_params
        if not _is_sequence(field.field_info.annotation)
    }
    for sub in dependant.dependencies:
        names |= _scalar_query_names(sub)
    return frozenset(names)


def _scalars_of(route: Any) -> frozenset[str]:
    names: frozenset[str] | None = getattr(route, "_scalar_query_names", None)
    if names is None:
        dependant = getattr(route, "dependant", None)
        names = _scalar_query_names(dependant) if dependant is not None else frozenset()
        route._scalar_query_names = names  # computed once per route
    return names


async def refuse_repeated_scalars(connection: HTTPConnection) -> None:
    route = connection.scope.get("route")
    if route is None:
        return
    scalars = _scalars_of(route)
    seen: set[str] = set()
    for name, _ in connection.query_params.multi_items():
        if name in scalars:
            if name in seen:
                raise ValidationError(f"the query parameter {name!r} takes one value")
            seen.add(name)
