"""Schemathesis over the whole OpenAPI schema against a real server with data, authenticated
with a store API key; bounded in time. No 5xx and no response that breaks its schema.

A run that fails only by an internal error of the harness itself (hypothesis, schemathesis or
the interpreter, such as CPython's "SystemError: AST constructor recursion depth mismatch"
raised while hypothesis compiles code on a worker thread) is retried once; a failed check (a
finding) never is."""

import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import httpx

from tests.servers import create_store_with_key, running_server, scratch_database_url

FUZZ_SECONDS = int(os.environ.get("WISMO_FUZZ_SECONDS", "90"))
# A fixed seed makes CI reproducible; set WISMO_FUZZ_SEED to explore other inputs.
FUZZ_SEED = os.environ.get("WISMO_FUZZ_SEED", "20261124")
# Errors of the harness, never of the API under test.
HARNESS_ERROR = re.compile(r"\bSystemError\b|AST constructor recursion depth mismatch")
FINAL_LINE = re.compile(r"^=+ (?P<summary>.+?) (?:in|after) [\d.]+s =+$", re.MULTILINE)


def harness_error_only(returncode: int, output: str, junit: Path | None) -> bool:
    """Did this run fail only by an internal error of the harness (no finding at all)?"""
    if returncode == 0 or not HARNESS_ERROR.search(output):
        return False
    if re.search(r"^=+ FAILURES =+$", output, re.MULTILINE):
        return False
    finals = FINAL_LINE.findall(output)
    if finals and re.search(r"\bfailures?\b", finals[-1]):
        return False
    if junit is not None and junit.is_file():
        root = ET.parse(junit).getroot()  # noqa: S314 (our own run's report)
        if next(root.iter("failure"), None) is not None:
            return False
        for error in root.iter("error"):
            text = (error.get("message") or "") + (error.text or "")
            if not HARNESS_ERROR.search(text):
                return False
    return True


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


def _schemathesis(base: str, key: str, junit: Path) -> tuple[int, str]:
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
        "--report",
        "junit",
        "--report-junit-path",
        str(junit),
    ]
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=FUZZ_SECONDS * 4 + 120)
    return run.returncode, run.stdout + run.stderr


def test_schemathesis_finds_no_server_errors_or_schema_breaks(tmp_path: Path) -> None:
    url = scratch_database_url(tmp_path)
    _, key = create_store_with_key(url, "Fuzz Store", "Europe/Paris")
    with running_server(url) as base:
        _seed(base, key)
        junit = tmp_path / "junit-1.xml"
        returncode, output = _schemathesis(base, key, junit)
        (tmp_path / "schemathesis-1.txt").write_text(output)
        if harness_error_only(returncode, output, junit):
            print(f"schemathesis: internal harness error, retrying once:\n{output[-3000:]}")
            junit = tmp_path / "junit-2.xml"
            returncode, output = _schemathesis(base, key, junit)
            (tmp_path / "schemathesis-2.txt").write_text(output)
    assert returncode == 0, output[:12000]
    cases = [int(n) for n in re.findall(r"(\d+) generated", output)]
    print(f"schemathesis: {output.strip().splitlines()[-1]}")
    assert not cases or sum(cases) > 100


# ---------------------------------------------------------------- the retry rule, offline

AST_ERROR = (
    "=================================== ERRORS ===================================\n"
    "_____________________________ GET /api/v1/orders _____________________________\n"
    "Runtime Error\n\nSystemError: AST constructor recursion depth mismatch "
    "(before=48, after=47)\n"
)
FAILURE = (
    "================================== FAILURES ==================================\n"
    "_____________________________ GET /api/v1/orders _____________________________\n"
    "1. Test Case ID: abc\n\n- Server error\n"
)


def _junit(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "junit.xml"
    path.write_text(f'<?xml version="1.0"?><testsuites><testsuite>{body}</testsuite></testsuites>')
    return path


def test_only_a_harness_error_is_retried(tmp_path: Path) -> None:
    ast = '<testcase name="GET /a"><error message="SystemError: AST constructor recursion depth mismatch"/></testcase>'
    failure = '<testcase name="GET /a"><failure message="Server error"/></testcase>'
    network = (
        '<testcase name="GET /a"><error message="Network Error: Connection refused"/></testcase>'
    )
    ast_final = (
        AST_ERROR + "========================= 1 error in 80.12s =========================\n"
    )
    assert harness_error_only(1, ast_final, _junit(tmp_path, ast))
    assert harness_error_only(2, ast_final, None)
    # a finding, with or without a harness error beside it, is never retried
    both = (
        AST_ERROR
        + FAILURE
        + "=================== 1 failure, 1 error in 80.12s ===================\n"
    )
    assert not harness_error_only(1, both, None)
    assert not harness_error_only(1, ast_final, _junit(tmp_path, ast + failure))
    # nor is any other error (a dead server, a timeout: the API's doing)
    assert not harness_error_only(1, ast_final, _junit(tmp_path, ast + network))
    assert not harness_error_only(
        1, "Network Error\n========== 1 error in 3.00s ==========\n", _junit(tmp_path, network)
    )
    # and a passing run is not retried
    assert not harness_error_only(0, "============ No issues found in 90.00s ============\n", None)
