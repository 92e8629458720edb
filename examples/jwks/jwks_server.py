"""A loopback JWKS server: serves this library's session keys where Stytch's
official SDKs fetch them, GET /v1/sessions/jwks/<project_id>, so that an
application's unchanged ``client.sessions.authenticate_jwt_local(jwt)``
verifies the library's session JWTs. Point the SDK at it with
``stytch.Client(project_id=..., secret=..., environment="http://127.0.0.1:PORT/")``.

    python jwks_server.py --database stytch_totp.db --project-id project-test-... --port 8787

Every request reads the keys from the store, so a key rotation by the
application (another process on the same database) is served at once.
"""

from __future__ import annotations

import argparse
import http.server
import json
import threading

import stytch_totp


def make_server(client: stytch_totp.Client, project_id: str, host: str = "127.0.0.1", port: int = 0) -> http.server.ThreadingHTTPServer:
    """An HTTP server (not yet serving) answering GET
    /v1/sessions/jwks/<project_id> with ``client.sessions.get_jwks``; any
    other path is 404. Port 0 picks a free port (``server.server_address``)."""
    path = f"/v1/sessions/jwks/{project_id}"
    lock = threading.Lock()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path != path:
                self.reply(404, {"status_code": 404, "error_type": "route_not_found"})
                return
            with lock:  # one store read at a time is plenty for a JWKS
                jwks = json.loads(client.sessions.get_jwks(project_id).to_json())
            self.reply(200, jwks)

        def reply(self, status: int, body: object) -> None:
            payload = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: object) -> None:
            pass

    return http.server.ThreadingHTTPServer((host, port), Handler)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="stytch_totp.db")
    parser.add_argument("--project-id", required=True)
    parser.add_argument("--environment", default="test")
    parser.add_argument("--port", type=int, default=8787)
    args = parser.parse_args()
    with stytch_totp.Client(database=args.database, environment=args.environment, project_id=args.project_id) as client:
        server = make_server(client, args.project_id, port=args.port)
        print(f"JWKS at http://127.0.0.1:{server.server_address[1]}/v1/sessions/jwks/{args.project_id}")
        server.serve_forever()


if __name__ == "__main__":
    main()
