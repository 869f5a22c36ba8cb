"""The one Discord REST route `bot serve` needs to become ready over HTTP interactions:
PUT /api/v10/applications/{id}/commands (bulk overwrite) answered 200 with the commands, ids added."""
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_PUT(self):
        parts = self.path.split("?")[0].strip("/").split("/")
        if len(parts) == 5 and parts[:3] == ["api", "v10", "applications"] and parts[4] == "commands":
            if not self.headers.get("Authorization", "").startswith("Bot "):
                return self.reply(401, {"message": "401: Unauthorized", "code": 0})
            length = int(self.headers.get("Content-Length", "0"))
            commands = json.loads(self.rfile.read(length) or b"[]")
            for number, command in enumerate(commands, start=1):
                command.setdefault("id", str(1300000000000000000 + number))
                command.setdefault("application_id", parts[3])
                command.setdefault("version", "1")
            return self.reply(200, commands)
        self.reply(404, {"message": "404: Not Found", "code": 0})

    def do_GET(self):
        self.reply(404, {"message": "404: Not Found", "code": 0})

    def reply(self, status, payload):
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass


if __name__ == "__main__":
    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
