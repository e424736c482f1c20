import httpx


async def test_health_ready_metrics_and_docs(client: httpx.AsyncClient) -> None:
    assert (await client.get("/healthz")).json() == {"status": "ok"}
    ready = await client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["database"] == "ok"
    await client.get("/healthz")
    metrics = await client.get("/metrics")
    assert metrics.status_code == 200
    assert 'wismo_http_requests_total{method="GET",route="/healthz",status="200"}' in metrics.text
    docs = await client.get("/api/docs")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()
    schema = (await client.get("/api/openapi.json")).json()
    assert "/api/v1/inquiries" in schema["paths"]


async def test_unknown_api_route_is_problem_404(client: httpx.AsyncClient) -> None:
    r = await client.get("/api/v1/nope")
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("application/problem+json")


async def test_security_headers_and_closed_cors(client: httpx.AsyncClient) -> None:
    r = await client.get("/healthz", headers={"Origin": "https://evil.example"})
    csp = r.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "access-control-allow-origin" not in r.headers
    assert "strict-transport-security" not in r.headers  # plain HTTP, not behind TLS
    preflight = await client.options(
        "/api/v1/inquiries",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-origin" not in preflight.headers


async def test_behind_tls_cookies_are_secure_and_hsts_is_sent(
    app: object, session: object, store: object
) -> None:
    from app.accounts import service as auth_service

    await auth_service.create_user(session, "tls@example.com", "password-tls", store.id)  # type: ignore[arg-type, attr-defined]
    await session.commit()  # type: ignore[attr-defined]
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="https://test") as c:
        r = await c.post(
            "/api/v1/auth/login", json={"email": "tls@example.com", "password": "password-tls"}
        )
        assert r.status_code == 200
        assert "secure" in r.headers["set-cookie"].lower()
        assert r.headers["strict-transport-security"].startswith("max-age=")


async def test_nul_in_the_url_is_refused_before_any_route(client: httpx.AsyncClient) -> None:
    for url in ("/api/v1/inquiries?orderNumber=%00", "/api/v1/orders/A%00B"):
        r = await client.get(url)
        assert r.status_code == 422, url
        assert r.json()["detail"] == "the URL must not contain NUL characters"
        assert r.headers["x-frame-options"] == "DENY"  # refusals carry the headers too

    async def counted(series: str) -> float:
        for line in (await client.get("/metrics")).text.splitlines():
            if line.startswith(f"wismo_http_requests_total{{{series}}} "):
                return float(line.rpartition(" ")[2])
        return 0.0

    healthz = 'method="GET",route="/healthz",status="200"'
    unmatched = 'method="GET",route="/{path:path}",status="404"'  # the dashboard catch-all
    before = (await counted(healthz), await counted(unmatched))
    await client.get("/healthz")
    await client.get("/healthz")
    await client.get("/api/v1/nope")
    assert (await counted(healthz), await counted(unmatched)) == (before[0] + 2, before[1] + 1)
