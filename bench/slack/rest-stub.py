"""A stand-in for Slack's side of the HTTP mode: POST /api/auth.test is answered with a bot identity (Bolt calls it
once at start-up to verify its token), any other POST to /api/<method> with {"ok": true}, any POST to a
response_url (/hooks/...) is answered `ok`, and every request is counted by path. `bot serve` posts to no
response_url for a quick `/explain` (it answers in the HTTP response); GET /count shows what was called."""
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

calls = {}
lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; with Nagle on, the client's delayed ACK would hold the body ~40 ms.
    disable_nagle_algorithm = True

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        self.rfile.read(length)
        with lock:
            calls[self.path] = calls.get(self.path, 0) + 1
        if self.path == "/api/auth.test":
            return self.reply(200, "application/json", json.dumps(
                {"ok": True, "url": "https://bench.slack.com/", "team": "bench", "user": "tutor", "team_id": "T0BENCH01",
                 "user_id": "U0BENCHBOT", "bot_id": "B0BENCHBOT", "is_enterprise_install": False}))
        if self.path.startswith("/api/"):
            return self.reply(200, "application/json", json.dumps({"ok": True}))
        if self.path.startswith("/hooks/"):
            return self.reply(200, "text/plain", "ok")
        self.reply(404, "text/plain", "no such endpoint")

    def do_GET(self):
        if self.path == "/count":
            with lock:
                return self.reply(200, "application/json", json.dumps(calls))
        self.reply(404, "text/plain", "no such endpoint")

    def reply(self, status, content_type, text):
        body = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass


if __name__ == "__main__":
    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
