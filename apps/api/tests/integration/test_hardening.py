"""Findings of the attack run, replayed against real `wismo serve` processes (loopback)."""

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.servers import create_store_with_key, running_server, scratch_database_url


class SlowUpload:
    """A raw-socket client that declares a large body and sends it one byte at a time."""

    def __init__(self, base: str, path: str, declared: int, interval: float) -> None:
        host, port = base.removeprefix("http://").split(":")
        self.sock = socket.create_connection((host, int(port)))
        self.sock.sendall(
            (
                f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
                f"Content-Length: {declared}\r\n\r\n"
            ).encode()
        )
        self.sent = 0
        self.stopped = threading.Event()
        self.interval = interval
        self.thread = threading.Thread(target=self._drip, daemon=True)
        self.thread.start()

    def _drip(self) -> None:
        while not self.stopped.wait(self.interval):
            try:
                self.sock.sendall(b" ")
            except OSError:
                return
            self.sent += 1

    def response(self, timeout: float) -> bytes:
        self.sock.settimeout(timeout)
        return self.sock.recv(65_536)

    def close(self) -> None:
        self.stopped.set()
        self.thread.join()
        self.sock.close()


@contextmanager
def slow_upload(base: str, path: str, declared: int, interval: float) -> Iterator[SlowUpload]:
    upload = SlowUpload(base, path, declared, interval)
    try:
        yield upload
    finally:
        upload.close()


def test_a_slow_anonymous_upload_does_not_stall_writes(tmp_path: Path) -> None:
    url = scratch_database_url(tmp_path)
    _, key = create_store_with_key(url)
    with (
        running_server(url) as base,
        slow_upload(base, "/api/v1/webhooks/shopify", 900_000, 0.05) as upload,
    ):
        while upload.sent < 5:  # the upload is under way
            upload.stopped.wait(0.05)
        r = httpx.post(
            f"{base}/api/v1/inquiries",
            json={"inquiryType": "status", "channel": "chat"},
            headers={"Authorization": f"Bearer {key}"},
            timeout=10,
        )
        assert r.status_code == 201, r.text
        # ... while the upload is still dripping: no answer for it yet
        assert upload.sent < 900_000 and upload.thread.is_alive()


def test_a_body_that_does_not_arrive_in_time_is_refused(tmp_path: Path) -> None:
    url = scratch_database_url(tmp_path)
    with (
        running_server(url, WISMO_BODY_TIMEOUT_SECONDS="1") as base,
        slow_upload(base, "/api/v1/auth/login", 60_000, 0.1) as upload,
    ):
        answer = upload.response(timeout=15)
        assert answer.startswith(b"HTTP/1.1 408"), answer[:200]
        assert b"application/problem+json" in answer
        assert upload.sent < 60_000
