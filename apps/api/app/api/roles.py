"""Who may call a route (DESIGN 8): every route under /api/v1 declares exactly one of these.

Store roles, each including the one below it: **analyst** reads every dashboard, timeline,
conversation and export and acknowledges alerts; **admin** also changes store settings,
integrations, API keys, the widget, alert destinations and ingests data; **owner** also
erases customer data (and, later, manages the team). A store API key acts as admin.

The other declarations name routes whose authentication is not a store role: `PUBLIC`
(the provider's signature, a signed survey token, or the login itself), `USER` (a logged-in
dashboard user, whatever their stores) and `CHAT` (the store's widget key or its
credentials). `tests/api/test_roles.py` walks every route and fails on one that declares
none, or two, and on a store role that reaches more than it should.
"""

from collections.abc import Awaitable, Callable
from typing import Any, Literal

from fastapi import Depends, FastAPI, routing

from app.api.deps import CurrentAccess, StoreAccess
from app.api.errors import PROBLEM_JSON
from app.core.errors import PermissionDeniedError

StoreRole = Literal["analyst", "admin", "owner"]
RANKS: dict[str, int] = {"analyst": 1, "admin": 2, "owner": 3}
PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}


def requires(role: StoreRole) -> Callable[..., Awaitable[StoreAccess]]:
    async def check(access: CurrentAccess) -> StoreAccess:
        if RANKS.get(access.role, 0) < RANKS[role]:
            raise PermissionDeniedError(f"this needs the {role} role in this store")
        return access

    check.required_role = role  # type: ignore[attr-defined]
    check.__name__ = f"requires_{role}"
    return check


def _declared(name: str) -> Callable[[], None]:
    def declared() -> None:
        return None

    declared.required_role = name  # type: ignore[attr-defined]
    declared.__name__ = f"declares_{name}"
    return declared


ANALYST: Any = Depends(requires("analyst"))
ADMIN: Any = Depends(requires("admin"))
OWNER: Any = Depends(requires("owner"))
PUBLIC: Any = Depends(_declared("public"))
USER: Any = Depends(_declared("user"))
CHAT: Any = Depends(_declared("chat"))


def declared_roles(dependant: Any) -> list[str]:
    """Every role a route's dependencies declare (a well-formed route has exactly one)."""
    found: list[str] = []
    for sub in dependant.dependencies:
        role = getattr(sub.call, "required_role", None)
        if role is not None:
            found.append(str(role))
        found += declared_roles(sub)
    return found


def install_role_openapi(app: FastAPI) -> None:
    """Each operation states its role (`x-required-role`) and, for store roles, its 403."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema and app.openapi_schema.get("x-roles-documented"):
            return app.openapi_schema
        schema = build()
        paths = schema.get("paths", {})
        for context in routing.iter_route_contexts(app.routes):
            dependant = getattr(context, "dependant", None)
            item = paths.get(getattr(context, "path", ""))
            if dependant is None or item is None:
                continue
            roles = declared_roles(dependant)
            role = roles[0] if roles else None
            for method in getattr(context, "methods", None) or ():
                operation = item.get(method.lower())
                if operation is None or role is None:
                    continue
                operation["x-required-role"] = role
                if role in RANKS:
                    operation.setdefault("responses", {})["403"] = {
                        "description": f"needs the {role} role in this store",
                        "content": {PROBLEM_JSON: {"schema": PROBLEM_REF}},
                    }
        schema["x-roles-documented"] = True
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


__all__ = [
    "ADMIN",
    "ANALYST",
    "CHAT",
    "OWNER",
    "PUBLIC",
    "RANKS",
    "USER",
    "declared_roles",
    "install_role_openapi",
    "requires",
]
