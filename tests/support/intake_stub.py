"""Intake's content route as a service run alone (query, slips) meets it in the fault tests that publish
made-up events: a real HTTP server on a free port that knows no dossier (404 to every question), so that
each content event is applied with the outline it carries, as for a draft intake deleted meanwhile."""

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _NoDossiers(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = json.dumps({"error": {"code": "dossier_not_found", "message": "Không tìm thấy hồ sơ."}}).encode()
        self.send_response(404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass  # the tests' output stays the services'


class _Server(ThreadingHTTPServer):
    request_queue_size = 256  # a consumer with PREFETCH=50 asks 50 questions at once
    daemon_threads = True


@contextmanager
def intake_without_dossiers() -> Iterator[str]:
    """The stand-in's base URL (for INTAKE_URL) while it runs."""
    server = _Server(("127.0.0.1", 0), _NoDossiers)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
