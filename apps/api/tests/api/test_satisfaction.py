"""Satisfaction surveys: the signed token is the only credential, one answer per inquiry,
the inquiry's figures move the rollups, low ratings raise one alert.

Store time zone America/New_York (EDT = UTC-4 in October 2026).
"""

import json
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.analytics.service import DateRange
from app.assistant import survey as satisfaction
from app.assistant.router import get_clock
from app.assistant.survey_router import SURVEY_REQUESTS
from app.core.rate_limit import build_limiter
from app.core.security import sign_token
from app.models import Alert, OrderInquiry, SatisfactionFeedback, Store
from tests.helpers import daily

AT = datetime.fromisoformat("2026-10-13T14:00:00+00:00")


@pytest.fixture
def fixed_clock(app: Any) -> Iterator[None]:
    app.dependency_overrides[get_clock] = lambda: lambda: AT
    yield
    app.dependency_overrides.pop(get_clock, None)


async def ok(r: httpx.Response, status: int = 200) -> Any:
    assert r.status_code == status, r.text
    return r.json()


async def resolved_chat(
    client: httpx.AsyncClient, store: Any, number: str = "1001"
) -> dict[str, Any]:
    """Order `number` asked about and confirmed in a chat at AT: returns the survey offer."""
    h = store.headers
    await ok(
        await client.put(
            f"/api/v1/orders/{number}",
            json={"createdAt": "2026-10-10T14:00:00Z", "customerEmail": "alice@example.com"},
            headers=h,
        ),
        201,
    )
    conv = await ok(await client.post("/api/v1/chat/conversations", json={}, headers=h), 201)
    url = f"/api/v1/chat/conversations/{conv['id']}/messages"
    r = await ok(
        await client.post(
            url, json={"text": f"where is order {number}? alice@example.com"}, headers=h
        ),
        201,
    )
    assert r["verified"] is True
    r = await ok(await client.post(url, json={"text": "thanks!"}, headers=h), 201)
    survey: dict[str, Any] = r["survey"]
    assert survey["inquiryId"] == r["inquiry"]["id"]
    return survey


def answer(survey: dict[str, Any], **body: Any) -> tuple[str, dict[str, Any]]:
    return f"/api/v1/satisfaction/{survey['inquiryId']}", {"token": survey["token"], **body}


async def alerts_of(session: AsyncSession, store_id: Any) -> list[Alert]:
    session.expire_all()
    return list(await session.scalars(select(Alert).where(Alert.store_id == store_id)))


async def test_answer_updates_inquiry_and_rollups_once(
    client: httpx.AsyncClient, session: AsyncSession, store: Any, fixed_clock: None
) -> None:
    survey = await resolved_chat(client, store)
    session.expire_all()
    before = (await daily(session, store.id))[date(2026, 10, 13)]
    assert (before["rating_count"], before["rating_sum"], before["effort_count"]) == (0, 0, 0)

    path, body = answer(survey, rating=5, effortScore=2, feedback="Quick and clear")
    # No API key: the token is the credential.
    out = await ok(await client.post(path, json=body), 201)
    assert out == {
        "inquiryId": survey["inquiryId"],
        "rating": 5,
        "effortScore": 2,
        "feedback": "Quick and clear",
        "customerSatisfied": True,
        "createdAt": out["createdAt"],
    }
    session.expire_all()
    inquiry = (await session.scalars(select(OrderInquiry))).one()
    assert (inquiry.satisfaction_rating, inquiry.customer_satisfied) == (5, True)
    assert (inquiry.effort_score, inquiry.feedback_text) == (2, "Quick and clear")
    row = (await daily(session, store.id))[date(2026, 10, 13)]
    assert {
        k: row[k]
        for k in ("rating_count", "rating_sum", "satisfied_count", "effort_count", "effort_sum")
    } == {
        "rating_count": 1,
        "rating_sum": 5,
        "satisfied_count": 1,
        "effort_count": 1,
        "effort_sum": 2,
    }
    assert row["total_inquiries"] == 1 and row["resolved_inquiries"] == 1

    # Single use: a second answer (even a different one) is refused, nothing moves.
    path, body = answer(survey, rating=1)
    r = await client.post(path, json=body)
    assert r.status_code == 409
    assert r.headers["content-type"].startswith("application/problem+json")
    session.expire_all()
    again = (await daily(session, store.id))[date(2026, 10, 13)]
    assert (again["rating_count"], again["rating_sum"]) == (1, 5)
    assert await alerts_of(session, store.id) == []
    assert len(list(await session.scalars(select(SatisfactionFeedback)))) == 1


async def test_rating_three_is_not_satisfied_and_raises_no_alert(
    client: httpx.AsyncClient, session: AsyncSession, store: Any, fixed_clock: None
) -> None:
    survey = await resolved_chat(client, store)
    path, body = answer(survey, rating=3)
    out = await ok(await client.post(path, json=body), 201)
    assert out["customerSatisfied"] is False and out["effortScore"] is None
    session.expire_all()
    row = (await daily(session, store.id))[date(2026, 10, 13)]
    assert (row["rating_count"], row["rating_sum"], row["satisfied_count"]) == (1, 3, 0)
    assert row["effort_count"] == 0
    assert await alerts_of(session, store.id) == []


@pytest.mark.parametrize(("rating", "severity"), [(1, "high"), (2, "medium")])
async def test_low_rating_raises_exactly_one_alert(
    client: httpx.AsyncClient,
    session: AsyncSession,
    store: Any,
    fixed_clock: None,
    rating: int,
    severity: str,
) -> None:
    survey = await resolved_chat(client, store)
    feedback = "Took forever. " * 40  # 560 characters: the alert keeps an excerpt
    path, body = answer(survey, rating=rating, feedback=feedback)
    await ok(await client.post(path, json=body), 201)
    r = await client.post(path, json=body)
    assert r.status_code == 409
    alerts = await alerts_of(session, store.id)
    assert len(alerts) == 1
    alert = alerts[0]
    assert (alert.kind, alert.severity) == ("low_satisfaction", severity)
    assert alert.cause_key == f"inquiry:{survey['inquiryId']}"
    assert alert.payload == {
        "rating": rating,
        "inquiryId": survey["inquiryId"],
        "orderNumber": "1001",
        "inquiryType": "status",
        "feedbackExcerpt": feedback[: satisfaction.FEEDBACK_EXCERPT_CHARS],
    }


async def test_feedback_is_stored_as_text_and_returned_as_json(
    client: httpx.AsyncClient, session: AsyncSession, store: Any, fixed_clock: None
) -> None:
    survey = await resolved_chat(client, store)
    xss = '<script>alert("x")</script><img src=x onerror=alert(1)> & \u00e9'
    path, body = answer(survey, rating=4, feedback=xss)
    r = await client.post(path, json=body)
    assert r.status_code == 201
    assert r.headers["content-type"].startswith("application/json")
    assert r.json()["feedback"] == xss
    # JSON-escaped string in the body (quotes escaped), never rendered or sanitised.
    assert json.dumps(xss, ensure_ascii=False)[1:-1] in r.text
    session.expire_all()
    stored = (await session.scalars(select(SatisfactionFeedback))).one()
    assert stored.feedback == xss
    inquiry = (await session.scalars(select(OrderInquiry))).one()
    assert inquiry.feedback_text == xss


async def test_tampered_expired_and_foreign_tokens(
    app: Any,
    client: httpx.AsyncClient,
    session: AsyncSession,
    store: Any,
    other_store: Any,
    settings: Any,
    fixed_clock: None,
) -> None:
    survey = await resolved_chat(client, store)
    iid = survey["inquiryId"]
    path = f"/api/v1/satisfaction/{iid}"
    body_part, sig = survey["token"].split(".")
    flipped = sig[:-2] + ("A" if sig[-2] != "A" else "B") + sig[-1]
    bad_tokens = {
        "tampered signature": f"{body_part}.{flipped}",
        "tampered payload": f"{body_part[:-2]}xx.{sig}",
        "garbage": "not-a-token",
        "expired": sign_token(
            settings.secret_key, "survey", {"sid": str(store.id), "iid": iid}, -10
        ),
        "other purpose": sign_token(
            settings.secret_key, "session", {"sid": str(store.id), "iid": iid}, 3600
        ),
        "other secret": sign_token(
            "not-the-secret", "survey", {"sid": str(store.id), "iid": iid}, 3600
        ),
        "no ids": sign_token(settings.secret_key, "survey", {}, 3600),
    }
    for name, token in bad_tokens.items():
        r = await client.post(path, json={"token": token, "rating": 5})
        assert r.status_code == 401, name
        assert r.headers["content-type"].startswith("application/problem+json")

    # Store B's resolved inquiry: A's token does not open it, nor does a token naming
    # store B with A's inquiry id (or store A with B's).
    b_survey = await resolved_chat(client, other_store, "B-1")
    r = await client.post(
        f"/api/v1/satisfaction/{b_survey['inquiryId']}",
        json={"token": survey["token"], "rating": 5},
    )
    assert r.status_code == 404
    for sid, inquiry_id in ((other_store.id, iid), (store.id, b_survey["inquiryId"])):
        token = sign_token(settings.secret_key, "survey", {"sid": str(sid), "iid": inquiry_id}, 60)
        r = await client.post(
            f"/api/v1/satisfaction/{inquiry_id}", json={"token": token, "rating": 5}
        )
        assert r.status_code == 404, (sid, inquiry_id)
        assert "alice" not in r.text
    # Nothing was recorded by any of these; the real tokens still work once each (from a
    # client that has not used up its survey attempts).
    app.state.rate_limiter = build_limiter(None)
    session.expire_all()
    assert list(await session.scalars(select(SatisfactionFeedback))) == []
    await ok(await client.post(path, json={"token": survey["token"], "rating": 4}), 201)
    await ok(
        await client.post(
            f"/api/v1/satisfaction/{b_survey['inquiryId']}",
            json={"token": b_survey["token"], "rating": 2},
        ),
        201,
    )
    assert [a.store_id for a in await alerts_of(session, other_store.id)] == [other_store.id]
    assert await alerts_of(session, store.id) == []


async def test_unresolved_inquiry_and_validation(
    client: httpx.AsyncClient, store: Any, settings: Any
) -> None:
    h = store.headers
    await client.put("/api/v1/orders/9", json={"createdAt": "2026-10-10T14:00:00Z"}, headers=h)
    inquiry = await ok(
        await client.post(
            "/api/v1/inquiries",
            json={"orderNumber": "9", "inquiryType": "status", "channel": "email"},
            headers=h,
        ),
        201,
    )
    token = sign_token(
        settings.secret_key, "survey", {"sid": str(store.id), "iid": inquiry["id"]}, 60
    )
    path = f"/api/v1/satisfaction/{inquiry['id']}"
    r = await client.post(path, json={"token": token, "rating": 5})
    assert r.status_code == 409  # not resolved: there is nothing to rate yet
    for body in (
        {"token": token, "rating": 0},
        {"token": token, "rating": 6},
        {"token": token, "rating": 5, "effortScore": 0},
        {"token": token, "rating": 5, "effortScore": 8},
        {"token": token, "rating": 5, "feedback": "x" * 2001},
        {"rating": 5},
        {"token": token, "rating": 5, "storeId": str(store.id)},
    ):
        assert (await client.post(path, json=body)).status_code == 422, body


async def test_concurrent_second_answer_is_refused_by_the_unique_key(
    client: httpx.AsyncClient,
    session: AsyncSession,
    store: Any,
    fixed_clock: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Two answers racing past the "already answered?" check: the unique (store_id,
    inquiry_id) of satisfaction_feedback lets only one in."""
    survey = await resolved_chat(client, store)

    async def not_yet(*_: Any) -> None:
        return None

    monkeypatch.setattr(satisfaction, "_existing_feedback", not_yet)
    path, body = answer(survey, rating=5)
    await ok(await client.post(path, json=body), 201)
    # Simulate the race: the inquiry row does not show the first answer yet.
    session.expire_all()
    inquiry = (await session.scalars(select(OrderInquiry))).one()
    inquiry.satisfaction_rating = None
    await session.flush()
    r = await client.post(path, json=body)
    assert r.status_code == 409, r.text
    session.expire_all()
    assert len(list(await session.scalars(select(SatisfactionFeedback)))) == 1


async def test_survey_answers_are_rate_limited_per_client(
    client: httpx.AsyncClient, store: Any
) -> None:
    path = f"/api/v1/satisfaction/{store.id}"
    for _ in range(SURVEY_REQUESTS.count):
        r = await client.post(path, json={"token": "x.y", "rating": 5})
        assert r.status_code == 401
    r = await client.post(path, json={"token": "x.y", "rating": 5})
    assert r.status_code == 429 and int(r.headers["Retry-After"]) > 0


async def test_satisfaction_trends_rolling_averages(
    client: httpx.AsyncClient, session: AsyncSession, store: Any
) -> None:
    """Ratings (local dates) and the rolling windows ending 2026-10-20:

        09-10  rating 2                 (previous 30 days: 09-01..09-20)
        10-10  rating 4                 (previous 7 days: 10-07..10-13)
        10-17  rating 5, effort 3
        10-20  rating 1
    7 days 10-14..10-20: {5, 1} -> 3.0, csat 1/2, effort 3; previous {4} -> 4.0, -25 %.
    30 days 09-21..10-20: {4, 5, 1} -> 10/3, csat 2/3; previous 30 days {2} -> 2.0.
    """
    h = store.headers
    await client.put("/api/v1/orders/T1", json={"createdAt": "2026-09-01T16:00:00Z"}, headers=h)
    for n, (created, rating, effort) in enumerate(
        [
            ("2026-09-10T16:00:00Z", 2, None),
            ("2026-10-10T16:00:00Z", 4, None),
            ("2026-10-17T16:00:00Z", 5, 3),
            ("2026-10-20T16:00:00Z", 1, None),
        ]
    ):
        body: dict[str, Any] = {
            "customerEmail": f"c{n}@example.com",
            "inquiryType": "status",
            "channel": "email",
            "createdAt": created,
            "resolvedAt": created,
            "rating": rating,
        }
        if effort is not None:
            body["effortScore"] = effort
        await ok(await client.post("/api/v1/inquiries", json=body, headers=h), 201)

    db_store = await session.get(Store, store.id)
    assert db_store is not None
    rng = DateRange(date(2026, 10, 14), date(2026, 10, 20), "America/New_York")
    out = await satisfaction.get_satisfaction_trends(session, db_store, rng)
    week, month = out.rolling7, out.rolling30
    assert week.days == 7 and month.days == 30
    assert week.satisfaction_score.value == 3.0 and week.satisfaction_score.previous == 4.0
    assert week.satisfaction_score.change_pct == -25.0
    assert week.csat.value == 0.5 and week.customer_effort_score.value == 3.0
    assert month.satisfaction_score.value == pytest.approx(10 / 3)
    assert month.satisfaction_score.previous == 2.0
    assert month.csat.value == pytest.approx(2 / 3) and month.csat.previous == 0.0
    assert out.trends.rating_count == 2
    assert [(p.date, p.rating_count) for p in out.trends.series if p.rating_count] == [
        (date(2026, 10, 17), 1),
        (date(2026, 10, 20), 1),
    ]


async def test_satisfaction_endpoint_returns_the_rolling_windows(
    client: httpx.AsyncClient, store: Any
) -> None:
    """Ratings by local date (New York) and channel; windows end 2026-10-20:

        09-10  email  rating 2
        10-10  email  rating 4
        10-17  email  rating 5, effort 3
        10-19  chat   rating 3
        10-20  email  rating 1

    7 days 10-14..10-20: {5, 3, 1} -> 3.0, csat 1/3, effort 3.0; previous 10-07..10-13: {4}.
    30 days 09-21..10-20: {4, 5, 3, 1} -> 3.25, csat 2/4; previous 08-22..09-20: {2}.
    channel=chat: 7 days {3} -> 3.0, csat 0; nothing before -> previous null.
    """
    h = store.headers
    for n, (created, channel, rating, effort) in enumerate(
        [
            ("2026-09-10T16:00:00Z", "email", 2, None),
            ("2026-10-10T16:00:00Z", "email", 4, None),
            ("2026-10-17T16:00:00Z", "email", 5, 3),
            ("2026-10-19T16:00:00Z", "chat", 3, None),
            ("2026-10-20T16:00:00Z", "email", 1, None),
        ]
    ):
        body: dict[str, Any] = {
            "customerEmail": f"r{n}@example.com",
            "inquiryType": "status",
            "channel": channel,
            "createdAt": created,
            "resolvedAt": created,
            "rating": rating,
        }
        if effort is not None:
            body["effortScore"] = effort
        await ok(await client.post("/api/v1/inquiries", json=body, headers=h), 201)

    path = "/api/v1/analytics/wismo/satisfaction"
    params = {"date_range": "custom", "start": "2026-10-14", "end": "2026-10-20"}
    out = await ok(await client.get(path, params=params, headers=h))
    week, month = out["rolling7"], out["rolling30"]
    assert (week["days"], month["days"]) == (7, 30)
    assert week["ratingCount"] == {"value": 3, "previous": 1, "changePct": 200.0}
    assert week["satisfactionScore"] == {"value": 3.0, "previous": 4.0, "changePct": -25.0}
    assert week["csat"]["value"] == pytest.approx(1 / 3) and week["csat"]["previous"] == 1.0
    assert week["customerEffortScore"]["value"] == 3.0
    assert week["customerEffortScore"]["previous"] is None
    assert month["ratingCount"]["value"] == 4 and month["ratingCount"]["previous"] == 1
    assert month["satisfactionScore"]["value"] == 3.25
    assert month["satisfactionScore"]["previous"] == 2.0
    assert month["satisfactionScore"]["changePct"] == 62.5
    assert month["csat"] == {"value": 0.5, "previous": 0.0, "changePct": None}
    assert out["ratingCount"] == 3

    chat = await ok(await client.get(path, params={**params, "channel": "chat"}, headers=h))
    assert chat["rolling7"]["ratingCount"] == {"value": 1, "previous": 0, "changePct": None}
    assert chat["rolling7"]["satisfactionScore"] == {
        "value": 3.0,
        "previous": None,
        "changePct": None,
    }
    assert chat["rolling7"]["csat"]["value"] == 0.0
    assert chat["rolling30"]["satisfactionScore"]["value"] == 3.0
