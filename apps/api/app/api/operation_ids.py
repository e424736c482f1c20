"""OpenAPI operation ids: `<tag>-<route name>` in kebab case (`analytics-overview`).

The route name is the endpoint function's name unless the route sets `name=`; the generated
web client and its types refer to operations by these ids, so they must stay stable.
"""

import re

from fastapi.routing import APIRoute
from fastapi.utils import generate_unique_id

OPERATION_ID = re.compile(r"^[a-z]+(-[a-z]+)+$")


def kebab(name: str) -> str:
    return re.sub(r"[^a-z]+", "-", name.lower()).strip("-")


def operation_id(route: APIRoute) -> str:
    if not route.include_in_schema:
        return generate_unique_id(route)
    if not route.tags:
        raise ValueError(f"route {route.path} declares no tag: its operation id needs one")
    tag = route.tags[0]
    return f"{kebab(str(tag))}-{kebab(route.name)}"
