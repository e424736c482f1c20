from collections import Counter

import pytest
from fastapi import APIRouter, FastAPI

from app.api.operation_ids import OPERATION_ID, operation_id
from app.openapi import openapi_document


def _operation_ids() -> list[str]:
    return [
        operation["operationId"]
        for methods in openapi_document()["paths"].values()
        for operation in methods.values()
    ]


def test_every_operation_id_is_unique_and_kebab_case() -> None:
    ids = _operation_ids()
    assert len(ids) > 30
    assert [i for i, n in Counter(ids).items() if n > 1] == []
    assert [i for i in ids if not OPERATION_ID.fullmatch(i)] == []


def test_operation_ids_name_the_tag_and_the_route() -> None:
    ids = set(_operation_ids())
    assert {
        "analytics-overview",
        "analytics-inquiries",
        "analytics-metrics",
        "analytics-drilldown-inquiries",
        "analytics-export-csv",
        "inquiries-create",
        "orders-timeline",
        "auth-login",
        "alerts-acknowledge",
    } <= ids


def test_a_route_without_a_tag_is_refused() -> None:
    router = APIRouter()

    @router.get("/untagged")
    async def untagged() -> None: ...

    with pytest.raises(ValueError, match="/untagged declares no tag"):
        app = FastAPI(generate_unique_id_function=operation_id)
        app.include_router(router)
        app.openapi()
