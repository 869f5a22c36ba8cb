"""Writes one signed `/explain closures` interaction: body to argv[1], and prints the shell assignments
BENCH_TS=... BENCH_SIG=... (timestamp = now, signature = Ed25519 over timestamp + raw body)."""
import json
import sys
import time

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

SEED = bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")  # RFC 8032 §7.1 TEST 1

interaction = {
    "id": "1200000000000000001", "application_id": "1100000000000000000",
    "type": 2, "token": "BENCH_INTERACTION_TOKEN", "version": 1,
    "guild_id": "1000000000000000001", "channel_id": "1000000000000000002",
    "member": {"user": {"id": "900000000000000001", "username": "student1"},
               "roles": [], "permissions": "2147483647", "joined_at": "2024-01-01T00:00:00+00:00"},
    "locale": "en-US", "app_permissions": "442368",
    "data": {"id": "1300000000000000001", "name": "explain", "type": 1,
             "options": [{"name": "topic", "type": 3, "value": "closures"}]},
}

body = json.dumps(interaction, separators=(",", ":")).encode()
timestamp = str(int(time.time()))
key = Ed25519PrivateKey.from_private_bytes(SEED)
signature = key.sign(timestamp.encode() + body).hex()
with open(sys.argv[1], "wb") as out:
    out.write(body)
print(f"BENCH_TS={timestamp} BENCH_SIG={signature}")
