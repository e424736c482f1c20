"""Schemathesis over the whole OpenAPI schema against a real server with data, authenticated
with a store API key; bounded in time. No 5xx and no response that breaks its schema."""

import os
import re
import subprocess
import sys
from pathlib import Path

import httpx

from tests.servers import create_store_with_key, running_server, scratch_database_url

FUZZ_SECONDS = int(os.environ.get("WISMO_FUZZ_SECONDS", "90"))
# A fixed seed makes CI reproducible; set WISMO_FUZZ_SEED to explore other inputs.
FUZZ_SEED = os.environ.get("WISMO_FUZZ_SEED", "20261124")


def _seed(base: str, key: str) -> None:
    h = {"Authorization": f"Bearer {key}"}
    with httpx.Client(base_url=base, headers=h, timeout=10) as c:
        c.put(
            "/api/v1/orders/1001",
            json={"createdAt": "2026-03-01T10:00:00Z", "customerEmail": "a@example.com"},
        ).raise_for_status()
        ship = c.post(
            "/api/v1/orders/1001/shipments",
            json={"carrier": "UPS", "trackingNumber": "1Z1", "shippedAt": "2026-03-02T10:00:00Z"},
        )
        ship.raise_for_status()
        c.post(
            f"/api/v1/shipments/{ship.json()['id']}/events",
            json={"occurredAt": "2026-03-03T10:00:00Z", "status": "in_transit"},
        ).raise_for_status()
        c.post(
            "/api/v1/inquiries",
            json={
                "orderNumber": "1001",
                "inquiryType": "status",
                "channel": "chat",
                "createdAt": "2026-03-03T12:00:00Z",
            },
        ).raise_for_status()


def test_schemathesis_finds_no_server_errors_or_schema_breaks(tmp_path: Path) -> None:
    url = scratch_database_url(tmp_path)
    _, key = create_store_with_key(url, "Fuzz Store", "Europe/Paris")
    with running_server(url) as base:
        _seed(base, key)
        cmd = [
            sys.executable,
            "-m",
            "schemathesis.cli",
            "run",
            f"{base}/api/openapi.json",
            "--header",
            f"Authorization: Bearer {key}",
            "--checks",
            "not_a_server_error,response_schema_conformance,content_type_conformance",
            "--phases",
            "examples,coverage,fuzzing",
            "--max-time",
            str(FUZZ_SECONDS),
            "--seed",
            FUZZ_SEED,
            "--workers",
            "2",
            "--request-timeout",
            "20",
            "--suppress-health-check",
            "all",
            "--exclude-path-regex",
            "^/api/v1/analytics/wismo/live$",
        ]
        run = subprocess.run(cmd, capture_output=True, text=True, timeout=FUZZ_SECONDS * 4 + 120)
    output = run.stdout + run.stderr
    (tmp_path / "schemathesis.txt").write_text(output)
    assert run.returncode == 0, output[:12000]
    cases = [int(n) for n in re.findall(r"(\d+) generated", output)]
    print(f"schemathesis: {output.strip().splitlines()[-1]}")
    assert not cases or sum(cases) > 100
