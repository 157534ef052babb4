"""`python -m bench.floor`: the floor for the reads, a bare FastAPI app answering the same JSON as the gateway.

No token, no call to the query service, no store: the path and the query string select one of the answers
the gateway gave (FLOOR_BODIES, a JSON file), returned as a route returns a dict. What is left is what every
request pays whatever the product does: the client, HTTP on loopback, uvicorn, FastAPI and the JSON.
"""

import json
import os
from pathlib import Path
from typing import Any

import uvicorn
from fastapi import FastAPI


def create_app(bodies: dict[str, Any]) -> FastAPI:
    app = FastAPI()

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/v1/dossiers")
    async def list_dossiers(q: str | None = None) -> Any:
        return bodies["search" if q else "status_tab"]

    @app.get("/v1/dossiers/{dossier_id}")
    async def get_dossier(dossier_id: str) -> Any:
        return bodies["detail"]

    return app


def main() -> None:
    bodies = json.loads(Path(os.environ["FLOOR_BODIES"]).read_text())
    uvicorn.run(create_app(bodies), host="127.0.0.1", port=int(os.environ["PORT"]), log_config=None,
                access_log=False)


if __name__ == "__main__":
    main()
