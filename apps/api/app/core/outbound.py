"""The one way out to a URL a tenant chose (alert webhooks; Slack and digest links too).

A tenant can type any URL, so every request is guarded twice:

* when the URL is saved and again before each send, `validate_url`: https only (http when
  `WISMO_OUTBOUND_ALLOW_HTTP` is set for development), no credentials, no whitespace or
  control characters, a host name or a canonical address (`127.1`, `2130706433`,
  `0x7f000001`, `0177.0.0.1` are refused), and no local names (`localhost.`, `*.internal`);
* at connection time, `GuardedTransport`: the host is resolved once, every address it
  resolves to must be public (not private, loopback, link-local, multicast, reserved,
  unspecified, shared, nor any of those inside an IPv4-mapped, 6to4 or NAT64 address), and
  the connection goes to that vetted address with the original Host header and TLS server
  name. Connections are never reused, so each request is checked anew (no DNS rebinding).

Redirects are not followed, proxies from the environment are ignored, and one deadline
covers the whole exchange. `post` never reads the response body; the provider APIs the
server calls itself (Shopify's Admin API) use `exchange_json` (a bounded JSON answer) and
`lines` (a streamed download read line by line, each line bounded), which raise
`OutboundError` with the same vocabulary instead. `OutboundClient.post` never raises:
it answers the status code or an error from a fixed vocabulary, which is all a tenant sees
(whether a port is open on some host is nobody's business); the cause goes to the log.
`WISMO_OUTBOUND_ALLOW_PRIVATE` lifts the address check for development and tests only.
"""

import asyncio
import ipaddress
import re
import socket
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Self
from urllib.parse import urlsplit

import httpx
import orjson

from app.core.config import Settings
from app.core.errors import ValidationError
from app.core.logging import get_logger

log = get_logger(__name__)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Awaitable[list[IPAddress]]]

# The whole vocabulary of delivery errors a tenant can see (besides "HTTP <status>").
COULD_NOT_CONNECT = "could not connect"
TIMED_OUT = "timed out"
INVALID_URL = "invalid URL"

MAX_URL_LENGTH = 1000
_LABEL = re.compile(r"^(?!-)[a-z0-9_-]{1,63}(?<!-)$")
_NUMERIC_LABEL = re.compile(r"^(0x[0-9a-f]*|[0-9]+)$")
_LOCAL_NAMES = ("localhost", "localdomain", "internal", "local", "home.arpa", "lan", "intranet")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


@dataclass(frozen=True)
class OutboundPolicy:
    allow_http: bool = False
    allow_private: bool = False
    timeout: float = 10.0

    @classmethod
    def from_settings(cls, settings: Settings, timeout: float = 10.0) -> "OutboundPolicy":
        return cls(
            allow_http=settings.outbound_allow_http,
            allow_private=settings.outbound_allow_private,
            timeout=timeout,
        )


class BlockedAddressError(httpx.ConnectError):
    """The destination resolves to an address that is not public."""


def is_public_address(ip: IPAddress) -> bool:
    if isinstance(ip, ipaddress.IPv6Address):
        embedded: ipaddress.IPv4Address | None = ip.ipv4_mapped or ip.sixtofour
        if embedded is None and ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is None and ip.teredo is not None:
            embedded = ip.teredo[1]
        if embedded is not None and not is_public_address(embedded):
            return False
    return ip.is_global and not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


def _refuse(reason: str) -> ValidationError:
    return ValidationError(f"the webhook URL {reason}")


def _literal_address(host: str) -> IPAddress | None:
    """The address a host names literally, refusing the legacy IPv4 spellings."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    labels = host.split(".")
    if _NUMERIC_LABEL.match(labels[-1]):
        # inet_aton reads 127.1, 2130706433, 0x7f000001 and 0177.0.0.1 all as 127.0.0.1
        # (so do browsers and many resolvers): only the dotted decimal form is accepted.
        raise _refuse("must write an IPv4 address as four decimal numbers (a.b.c.d)")
    return None


def validate_url(url: str, policy: OutboundPolicy) -> str:
    """The URL, stripped of outer spaces, or a ValidationError saying what is wrong."""
    url = url.strip()
    if not url or len(url) > MAX_URL_LENGTH:
        raise _refuse(f"must be 1 to {MAX_URL_LENGTH} characters")
    if not url.isascii() or any(c.isspace() or ord(c) < 0x20 or ord(c) == 0x7F for c in url):
        raise _refuse("must not contain spaces, control or non-ASCII characters")
    try:
        parts = urlsplit(url)
    except ValueError:
        raise _refuse("is not a valid URL") from None
    schemes = ("https", "http") if policy.allow_http else ("https",)
    if parts.scheme not in schemes:
        raise _refuse("must use https" if parts.scheme == "http" else "must be an https URL")
    if "@" in parts.netloc:
        raise _refuse("must not carry credentials")
    host = (parts.hostname or "").rstrip(".")
    try:
        parts.port  # noqa: B018 (raises on a port that is not a number in range)
    except ValueError:
        raise _refuse("has an invalid port") from None
    if not host:
        raise _refuse("must name a host")
    address = _literal_address(host)
    if address is None:
        if len(host) > 253 or not all(_LABEL.match(label) for label in host.split(".")):
            raise _refuse("has an invalid host name")
        if not policy.allow_private and (
            host in _LOCAL_NAMES or host.endswith(tuple(f".{n}" for n in _LOCAL_NAMES))
        ):
            raise _refuse("must be a public address")
    elif not policy.allow_private and not is_public_address(address):
        raise _refuse("must be a public address")
    return url


async def system_resolver(host: str, port: int) -> list[IPAddress]:
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [ipaddress.ip_address(str(info[4][0]).partition("%")[0]) for info in infos]


class GuardedTransport(httpx.AsyncBaseTransport):
    """Connects only to vetted addresses (see the module's docstring)."""

    def __init__(self, policy: OutboundPolicy, resolver: Resolver | None = None) -> None:
        self._policy = policy
        self._resolve = resolver or system_resolver
        self._inner = httpx.AsyncHTTPTransport(
            retries=0, limits=httpx.Limits(max_keepalive_connections=0), trust_env=False
        )

    async def _vetted(self, host: str, port: int) -> IPAddress:
        try:
            literal: IPAddress | None = ipaddress.ip_address(host)
        except ValueError:
            literal = None
        if literal is not None:
            addresses = [literal]
        else:
            try:
                addresses = await self._resolve(host.rstrip("."), port)
            except OSError as exc:
                raise httpx.ConnectError(f"could not resolve {host}: {exc}") from exc
        if not addresses:
            raise httpx.ConnectError(f"{host} has no address")
        if not self._policy.allow_private:
            blocked = [str(a) for a in addresses if not is_public_address(a)]
            if blocked:
                raise BlockedAddressError(f"{host} resolves to non-public {', '.join(blocked)}")
        return addresses[0]

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        host = request.url.host
        port = request.url.port or (443 if request.url.scheme == "https" else 80)
        address = await self._vetted(host, port)
        # The Host header was set from the original URL when the request was built; TLS
        # verifies the certificate against the original name (SNI).
        if str(address) != host:
            request.extensions = {**request.extensions, "sni_hostname": host}
            request.url = request.url.copy_with(host=str(address))
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()


class OutboundError(Exception):
    """A provider call failed: `reason` is from the fixed vocabulary or "HTTP <status>"."""

    def __init__(self, reason: str, status_code: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status_code = status_code


@dataclass(frozen=True)
class OutboundResult:
    status_code: int | None
    error: str | None

    @property
    def ok(self) -> bool:
        return self.error is None


class OutboundClient:
    """POSTs to tenant URLs through `GuardedTransport`; use as an async context manager."""

    def __init__(self, policy: OutboundPolicy, *, resolver: Resolver | None = None) -> None:
        self.policy = policy
        self._client = httpx.AsyncClient(
            transport=GuardedTransport(policy, resolver),
            timeout=policy.timeout,
            follow_redirects=False,
            trust_env=False,
        )

    async def post(self, url: str, *, content: bytes, headers: Mapping[str, str]) -> OutboundResult:
        try:
            url = validate_url(url, self.policy)
        except ValidationError:
            return OutboundResult(None, INVALID_URL)
        try:
            async with (
                asyncio.timeout(self.policy.timeout),
                self._client.stream("POST", url, content=content, headers=dict(headers)) as resp,
            ):
                status = resp.status_code  # the body is never read
        except (TimeoutError, httpx.TimeoutException):
            return OutboundResult(None, TIMED_OUT)
        except BlockedAddressError as exc:
            log.warning("outbound request blocked", reason=str(exc))
            return OutboundResult(None, COULD_NOT_CONNECT)
        except (httpx.HTTPError, httpx.InvalidURL, OSError, ValueError) as exc:
            log.info("outbound request failed", error=f"{type(exc).__name__}: {exc}"[:300])
            return OutboundResult(None, COULD_NOT_CONNECT)
        return OutboundResult(status, None if 200 <= status < 300 else f"HTTP {status}")

    async def exchange_json(
        self,
        url: str,
        *,
        payload: Mapping[str, Any],
        headers: Mapping[str, str] | None = None,
        max_bytes: int = 2_000_000,
    ) -> Any:
        """POST JSON and return the decoded JSON answer (2xx only, at most `max_bytes`)."""
        try:
            url = validate_url(url, self.policy)
        except ValidationError:
            raise OutboundError(INVALID_URL) from None
        try:
            async with (
                asyncio.timeout(self.policy.timeout),
                self._client.stream(
                    "POST",
                    url,
                    content=orjson.dumps(payload),
                    headers={
                        "Content-Type": "application/json",
                        "Accept": "application/json",
                        **(headers or {}),
                    },
                ) as resp,
            ):
                if not 200 <= resp.status_code < 300:
                    raise OutboundError(f"HTTP {resp.status_code}", resp.status_code)
                body = bytearray()
                async for chunk in resp.aiter_bytes():
                    body += chunk
                    if len(body) > max_bytes:
                        raise OutboundError(f"answer larger than {max_bytes} bytes")
        except OutboundError:
            raise
        except Exception as exc:
            raise self._failure(exc) from exc
        try:
            return orjson.loads(body)
        except orjson.JSONDecodeError:
            raise OutboundError("answer is not JSON") from None

    async def lines(
        self, url: str, *, max_line_bytes: int = 1_000_000, read_timeout: float = 60.0
    ) -> AsyncIterator[bytes]:
        """The lines of a (large) download, each at most `max_line_bytes`; `read_timeout`
        bounds each wait for data, not the whole download."""
        try:
            url = validate_url(url, self.policy)
        except ValidationError:
            raise OutboundError(INVALID_URL) from None
        timeout = httpx.Timeout(self.policy.timeout, read=read_timeout)
        try:
            async with self._client.stream("GET", url, timeout=timeout) as resp:
                if not 200 <= resp.status_code < 300:
                    raise OutboundError(f"HTTP {resp.status_code}", resp.status_code)
                pending = b""
                async for chunk in resp.aiter_bytes():
                    pending += chunk
                    *complete, pending = pending.split(b"\n")
                    for line in complete:
                        yield line
                    if len(pending) > max_line_bytes:
                        raise OutboundError(f"a line longer than {max_line_bytes} bytes")
                if pending:
                    yield pending
        except OutboundError:
            raise
        except Exception as exc:
            raise self._failure(exc) from exc

    def _failure(self, exc: BaseException) -> OutboundError:
        if isinstance(exc, TimeoutError | httpx.TimeoutException):
            return OutboundError(TIMED_OUT)
        if isinstance(exc, BlockedAddressError):
            log.warning("outbound request blocked", reason=str(exc))
        elif isinstance(exc, httpx.HTTPError | httpx.InvalidURL | OSError | ValueError):
            log.info("outbound request failed", error=f"{type(exc).__name__}: {exc}"[:300])
        else:
            raise exc
        return OutboundError(COULD_NOT_CONNECT)

    async def aclose(self) -> None:
        await self._client.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
