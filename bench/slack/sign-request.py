"""Writes one signed `/explain closures` slash command: the form-encoded body to argv[1], and prints the shell
assignments BENCH_TS=... BENCH_SIG=... (timestamp = now, signature = Slack v0: HMAC-SHA256 with the signing
secret over `v0:{timestamp}:{raw body}`). Env: SLACK_SIGNING_SECRET, STUB_PORT (the response_url's port).

The body carries no trigger_id on purpose: the bot answers a redelivered trigger_id once (the second time with an
empty acknowledgement), and wrk sends the same bytes every time, since Lua has no HMAC to sign a fresh body per
request. Without a trigger_id the bot answers every request in full, as Bolt does."""
import hashlib
import hmac
import os
import sys
import time
from urllib.parse import urlencode

fields = {
    "token": "benchVerificationToken", "team_id": "T0BENCH01", "team_domain": "bench",
    "channel_id": "C0BENCH01", "channel_name": "general", "user_id": "U0BENCH01", "user_name": "student1",
    "command": "/explain", "text": "closures", "api_app_id": "A0BENCH01", "is_enterprise_install": "false",
    "response_url": f"http://127.0.0.1:{os.environ['STUB_PORT']}/hooks/commands/T0BENCH01/1/bench",
}

body = urlencode(fields).encode()
timestamp = str(int(time.time()))
secret = os.environ["SLACK_SIGNING_SECRET"].encode()
signature = "v0=" + hmac.new(secret, b"v0:" + timestamp.encode() + b":" + body, hashlib.sha256).hexdigest()
with open(sys.argv[1], "wb") as out:
    out.write(body)
print(f"BENCH_TS={timestamp} BENCH_SIG={signature}")
