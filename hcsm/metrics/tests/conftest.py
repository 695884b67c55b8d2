"""A local HTTP server standing in for a platform API: each test says how to answer."""

from __future__ import annotations

import json
import threading
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest


@dataclass
class Seen:
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]


@dataclass
class FakeProvider:
    url: str
    answer: Callable[[Seen], tuple[int, Any] | tuple[int, Any, dict[str, str]]] = lambda s: (
        404,
        {},
    )
    requests: list[Seen] = field(default_factory=list)


@pytest.fixture
def provider():  # type: ignore[no-untyped-def]
    state: dict[str, FakeProvider] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            parts = urllib.parse.urlsplit(self.path)
            seen = Seen(parts.path, urllib.parse.parse_qs(parts.query), dict(self.headers))
            fake = state["p"]
            fake.requests.append(seen)
            status, body, *rest = fake.answer(seen)
            raw = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            for k, v in (rest[0] if rest else {}).items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    state["p"] = FakeProvider(url=f"http://127.0.0.1:{server.server_port}")
    yield state["p"]
    server.shutdown()
    server.server_close()
    thread.join()
