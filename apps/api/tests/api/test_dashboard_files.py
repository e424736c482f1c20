"""The built dashboard as the browser gets it: precompressed siblings chosen by
Accept-Encoding, decoded bytes equal to the original, cache lifetimes, security headers."""

import gzip
from collections.abc import AsyncIterator
from pathlib import Path

import brotli
import httpx
import pytest

from app.core.config import Settings
from app.main import create_app
from app.web import accepted_encodings

BUNDLE = b"export const answer = 42;\n" * 200  # 5.2 KB: compresses well
INDEX = b'<!doctype html><html><head><script type="module" src="/assets/index-Ab12Cd34.js"></script></head><body><div id="root"></div></body></html>\n'
TINY = b"console.log(1);\n"  # below the build's threshold: no siblings
FAVICON = b'<svg xmlns="http://www.w3.org/2000/svg"/>\n'
IMMUTABLE = "public, max-age=31536000, immutable"


def _with_siblings(path: Path, content: bytes) -> None:
    path.write_bytes(content)
    Path(f"{path}.gz").write_bytes(gzip.compress(content, compresslevel=9))
    Path(f"{path}.br").write_bytes(brotli.compress(content, quality=11))


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    assets = tmp_path / "assets"
    assets.mkdir()
    _with_siblings(assets / "index-Ab12Cd34.js", BUNDLE)
    _with_siblings(tmp_path / "index.html", INDEX)
    (assets / "tiny-Zz99Yy88.js").write_bytes(TINY)
    (tmp_path / "favicon.svg").write_bytes(FAVICON)
    return tmp_path


@pytest.fixture
async def web(settings: Settings, dist: Path) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings.model_copy(update={"web_dist": dist}))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


async def test_hashed_asset_is_sent_as_brotli_and_cached_for_a_year(
    web: httpx.AsyncClient, dist: Path
) -> None:
    r = await web.get("/assets/index-Ab12Cd34.js", headers={"Accept-Encoding": "gzip, br"})
    assert r.status_code == 200
    assert r.headers["content-encoding"] == "br"
    assert r.headers["content-type"] == "text/javascript; charset=utf-8"
    assert r.headers["cache-control"] == IMMUTABLE
    assert r.headers["vary"] == "Accept-Encoding"
    # On the wire: the build's brotli file; decoded (httpx does it): the original bundle.
    sent = (dist / "assets" / "index-Ab12Cd34.js.br").read_bytes()
    assert int(r.headers["content-length"]) == len(sent) < len(BUNDLE) // 10
    assert r.content == BUNDLE
    # The security headers every response carries are still there.
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"


async def test_gzip_when_brotli_is_not_accepted(web: httpx.AsyncClient, dist: Path) -> None:
    for accept in ("gzip", "gzip, deflate", "br;q=0, gzip;q=0.5", "br;q=0, *"):
        r = await web.get("/assets/index-Ab12Cd34.js", headers={"Accept-Encoding": accept})
        assert r.headers["content-encoding"] == "gzip", accept
        assert int(r.headers["content-length"]) == len(
            (dist / "assets" / "index-Ab12Cd34.js.gz").read_bytes()
        )
        assert r.content == BUNDLE
        assert r.headers["cache-control"] == IMMUTABLE


async def test_identity_when_no_coding_is_accepted(web: httpx.AsyncClient) -> None:
    for accept in ("identity", "gzip;q=0, br;q=0", "*;q=0", "deflate"):
        r = await web.get("/assets/index-Ab12Cd34.js", headers={"Accept-Encoding": accept})
        assert "content-encoding" not in r.headers, accept
        assert int(r.headers["content-length"]) == len(BUNDLE)
        assert r.content == BUNDLE
        assert r.headers["vary"] == "Accept-Encoding"
        assert r.headers["content-type"] == "text/javascript; charset=utf-8"


async def test_a_file_without_siblings_goes_as_it_is(web: httpx.AsyncClient) -> None:
    r = await web.get("/assets/tiny-Zz99Yy88.js", headers={"Accept-Encoding": "br, gzip"})
    assert r.status_code == 200
    assert "content-encoding" not in r.headers
    assert r.content == TINY
    assert r.headers["cache-control"] == IMMUTABLE


async def test_revalidation_answers_304_with_the_same_headers(web: httpx.AsyncClient) -> None:
    first = await web.get("/assets/index-Ab12Cd34.js", headers={"Accept-Encoding": "br"})
    again = await web.get(
        "/assets/index-Ab12Cd34.js",
        headers={"Accept-Encoding": "br", "If-None-Match": first.headers["etag"]},
    )
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["cache-control"] == IMMUTABLE
    assert again.headers["vary"] == "Accept-Encoding"
    # The gzip file is another representation, with its own ETag.
    gz = await web.get("/assets/index-Ab12Cd34.js", headers={"Accept-Encoding": "gzip"})
    assert gz.headers["etag"] != first.headers["etag"]


async def test_index_and_spa_routes_are_revalidated_every_time(web: httpx.AsyncClient) -> None:
    for path in ("/", "/analytics/wismo", "/login", "/index.html"):
        r = await web.get(path, headers={"Accept-Encoding": "br, gzip"})
        assert r.status_code == 200, path
        assert r.headers["content-encoding"] == "br"
        assert r.headers["content-type"] == "text/html; charset=utf-8"
        assert r.headers["cache-control"] == "no-cache"
        assert r.content == INDEX
        assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
    plain = await web.get("/analytics/wismo", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert plain.content == INDEX


async def test_other_root_files_and_unknown_paths(web: httpx.AsyncClient) -> None:
    r = await web.get("/favicon.svg", headers={"Accept-Encoding": "br"})
    assert r.headers["content-type"] == "image/svg+xml"
    assert r.headers["cache-control"] == "no-cache"
    assert r.content == FAVICON
    missing = await web.get("/assets/gone-00000000.js")
    assert missing.status_code == 404
    api = await web.get("/api/v1/nothing-here")
    assert api.status_code == 404
    assert api.headers["content-type"] == "application/problem+json"
    # Nothing outside dist/ is reachable.
    escape = await web.get("/assets/..%2F..%2Fpyproject.toml")
    assert escape.status_code == 404


async def test_without_a_build_the_dashboard_says_so(settings: Settings, tmp_path: Path) -> None:
    app = create_app(settings.model_copy(update={"web_dist": tmp_path / "missing"}))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://test"
    ) as client:
        r = await client.get("/analytics/wismo")
    assert r.status_code == 404
    assert r.json()["title"] == "Dashboard not built"


def test_accept_encoding_weights() -> None:
    assert accepted_encodings("") == set()
    assert accepted_encodings("gzip, deflate, br, zstd") == {"br", "gzip"}
    assert accepted_encodings("BR;q=0.8, GZIP;Q=1") == {"br", "gzip"}
    assert accepted_encodings("br;q=0, gzip") == {"gzip"}
    assert accepted_encodings("*") == {"br", "gzip"}
    assert accepted_encodings("*;q=0.1, gzip;q=0") == {"br"}
    assert accepted_encodings("gzip;q=bogus, br") == {"br"}
