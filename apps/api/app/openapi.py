"""Print the OpenAPI document (`python -m app.openapi`), or check a saved copy for drift."""

import json
import sys
from pathlib import Path
from typing import Any

from app.core.config import Settings
from app.main import create_app


def openapi_document() -> dict[str, Any]:
    return create_app(Settings()).openapi()


def render() -> str:
    return json.dumps(openapi_document(), indent=2, sort_keys=True) + "\n"


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "--check":
        saved = Path(argv[1]).read_text()
        if saved != render():
            print(
                f"{argv[1]} is out of date with the API: run `make openapi` and commit the result",
                file=sys.stderr,
            )
            return 1
        print(f"{argv[1]} matches the API")
        return 0
    sys.stdout.write(render())
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
