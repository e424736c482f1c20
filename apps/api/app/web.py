"""The built dashboard (apps/web/dist): Vite's hashed files under /assets/ are cached for a
year, everything else is revalidated, and each file goes out as the .br or .gz sibling the
build made for it when the browser accepts that encoding."""

import mimetypes
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import Response
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from app.api.errors import problem

#: A hashed name changes with its content, so a copy never needs checking again.
IMMUTABLE = "public, max-age=31536000, immutable"
#: index.html names the current hashed files: always revalidated (a 304 when unchanged).
REVALIDATE = "no-cache"
#: Best first: brotli is 10-20% smaller than gzip on this bundle.
PRECOMPRESSED = (("br", ".br"), ("gzip", ".gz"))


def accepted_encodings(header: str) -> set[str]:
    """The content codings an `Accept-Encoding` header allows (q > 0; `*` stands for the rest)."""
    weights: dict[str, float] = {}
    for part in header.split(","):
        coding, _, params = part.partition(";")
        coding = coding.strip().lower()
        if not coding:
            continue
        weight = 1.0
        for param in params.split(";"):
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        weights[coding] = weight
    wildcard = weights.get("*", 0.0)
    return {c for c, _ in PRECOMPRESSED if weights.get(c, wildcard) > 0}


def _content_type(path: str) -> str:
    media_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
    return f"{media_type}; charset=utf-8" if media_type.startswith("text/") else media_type


class DashboardFiles(StaticFiles):
    """Starlette's static files (ETag, 304, HEAD, ranges) sending precompressed siblings."""

    def __init__(self, directory: Path, cache_control: str) -> None:
        super().__init__(directory=directory, check_dir=False)
        self.cache_control = cache_control

    async def get_response(self, path: str, scope: Scope) -> Response:
        accepted = accepted_encodings(Headers(scope=scope).get("accept-encoding", ""))
        for coding, suffix in PRECOMPRESSED:
            if coding not in accepted:
                continue
            try:
                response = await super().get_response(path + suffix, scope)
            except HTTPException as exc:
                if exc.status_code == 404:
                    continue  # no sibling (e.g. a file too small to be worth compressing)
                raise
            response.headers["Content-Encoding"] = coding
            return self._finish(response, path)
        return self._finish(await super().get_response(path, scope), path)

    def _finish(self, response: Response, path: str) -> Response:
        if response.status_code != 304:
            response.headers["Content-Type"] = _content_type(path)
        response.headers["Cache-Control"] = self.cache_control
        response.headers["Vary"] = "Accept-Encoding"
        return response


def mount_dashboard(app: FastAPI, dist: Path) -> None:
    """Serve the built React app; unknown non-API paths fall back to index.html (SPA routes)."""
    dist = dist.resolve()
    if (dist / "assets").is_dir():
        app.mount("/assets", DashboardFiles(dist / "assets", IMMUTABLE), name="assets")
    root = DashboardFiles(dist, REVALIDATE)

    @app.get("/{path:path}", include_in_schema=False, response_model=None)
    async def spa(path: str, request: Request) -> Response:
        if path.startswith("api/"):
            return problem(404, "Not found", f"no API route /{path}")
        # A file of dist/ (favicon.svg...), else a route of the app: index.html.
        if path and (dist / path).is_file():
            try:
                return await root.get_response(path, request.scope)
            except HTTPException as exc:
                if exc.status_code != 404:
                    raise
        if (dist / "index.html").is_file():
            return await root.get_response("index.html", request.scope)
        return problem(
            404, "Dashboard not built", "run `make build` (or `make demo`) to build apps/web"
        )
