#!/usr/bin/env bash
# Benchmarks the bot's Discord adapter beside Discord's own minimal interactions app (peer-app.js) and the
# ceiling (bench/ceiling: a bare ASP.NET app that only verifies the signature and sends back the bot's own
# answer), on loopback only, and writes bench/discord/results.md. Run from the repository root:
#
#   bash bench/discord/run.sh
#
# Knobs (environment): BENCH_DURATION (s per wrk run, default 10), BENCH_WARMUP (s, default 15),
# BENCH_PUBLISH_FLAGS (`dotnet publish` flags replacing the default ReadyToRun ones of the Dockerfile, e.g. "" for a plain JIT build),
# BENCH_RESULTS (output file, default bench/discord/results.md). DOTNET_* variables you export reach the bot.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BENCH="$ROOT/bench/discord"
DURATION="${BENCH_DURATION:-10}"
# Both servers get the same warm-up; .NET needs about 10 s of load before its tiered JIT has settled.
WARMUP="${BENCH_WARMUP:-15}"
RESULTS="${BENCH_RESULTS:-$BENCH/results.md}"
TIME_LIMIT=660   # the whole run normally takes 5-6 minutes; past 11 it is stuck
PUBLIC_KEY=d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a   # RFC 8032 TEST 1 key; sign-request.py holds its seed
STARTS=5

cd "$ROOT"
WORK="$(mktemp -d /tmp/bot-discord-bench.XXXXXX)"
PIDS=()

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
fail() { log "FAILED: $*"; exit 1; }

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Watchdog: bounds the whole run even if a server or tool hangs.
(
  trap 'kill "$sleeper" 2>/dev/null; exit 0' TERM
  sleep "$TIME_LIMIT" & sleeper=$!
  wait "$sleeper"
  log "time limit of ${TIME_LIMIT}s reached, stopping"
  kill -TERM $$
) &
PIDS+=($!)

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

now_ns() { date +%s%N; }

# Waits until $1 answers 200 (or $2 seconds pass); polls every 10 ms.
wait_for_200() {
  local url=$1 deadline=$(( $(date +%s) + $2 ))
  until [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$url" || true)" == 200 ]]; do
    (( $(date +%s) < deadline )) || return 1
    sleep 0.01
  done
}

rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

# ---------------------------------------------------------------- tools
log "checking tools"
if ! command -v wrk >/dev/null; then
  SUDO=""; [[ $(id -u) == 0 ]] || SUDO="sudo"
  $SUDO apt-get update && $SUDO apt-get install -y wrk
fi
command -v node >/dev/null || fail "node is required (Node.js 18 or later)"
command -v dotnet >/dev/null || fail "dotnet (the .NET 10 SDK) is required"
python3 -c 'import cryptography' 2>/dev/null || python3 -m pip install --quiet cryptography
if [[ ! -d "$BENCH/node_modules/discord-interactions" || ! -d "$BENCH/node_modules/express" \
      || "$BENCH/package-lock.json" -nt "$BENCH/node_modules/.package-lock.json" ]]; then
  (cd "$BENCH" && npm ci --no-audit --no-fund)
fi

# ---------------------------------------------------------------- build
log "publishing the bot (Release) ${BENCH_PUBLISH_FLAGS:-}"
# shellcheck disable=SC2086 # BENCH_PUBLISH_FLAGS is a list of flags
# The same publish as the Dockerfile's (ReadyToRun for this machine's architecture), unless overridden.
RID="linux-$(uname -m | sed 's/x86_64/x64/; s/aarch64/arm64/')"
dotnet publish src/Bot.Host/Bot.Host.csproj -c Release -o "$WORK/bot" --nologo -v q \
  ${BENCH_PUBLISH_FLAGS:--r $RID --self-contained false -p:PublishReadyToRun=true} >"$WORK/publish.log" 2>&1 \
  || { cat "$WORK/publish.log" >&2; fail "dotnet publish"; }
log "publishing the ceiling (Release) ${BENCH_PUBLISH_FLAGS:-}"
# shellcheck disable=SC2086 # as above: published exactly as the bot is
dotnet publish bench/ceiling/Ceiling.csproj -c Release -o "$WORK/ceiling" --nologo -v q \
  ${BENCH_PUBLISH_FLAGS:--r $RID --self-contained false -p:PublishReadyToRun=true} >"$WORK/publish-ceiling.log" 2>&1 \
  || { cat "$WORK/publish-ceiling.log" >&2; fail "dotnet publish bench/ceiling"; }
log "building the gateway-latency benchmark"
dotnet build tests/Bot.Benchmarks/Bot.Benchmarks.csproj -c Release --nologo -v q >"$WORK/build.log" 2>&1 \
  || { cat "$WORK/build.log" >&2; fail "dotnet build tests/Bot.Benchmarks"; }

# ---------------------------------------------------------------- servers
STUB_PORT=$(free_port)
python3 "$BENCH/rest-stub.py" "$STUB_PORT" &
PIDS+=($!)

BOT_PORT=$(free_port)
start_bot() {   # $1 = run number; sets BOT_PID
  mkdir -p "$WORK/run$1"
  Discord__BotToken=bench-not-a-real-token \
  Discord__ApplicationId=1100000000000000000 \
  Discord__Transport=Http \
  Discord__PublicKey=$PUBLIC_KEY \
  Discord__ApiBaseUrl="http://127.0.0.1:$STUB_PORT/api/v10/" \
  Storage__Path="$WORK/run$1/bot.db" \
  Content__Watch=false \
    dotnet "$WORK/bot/bot.dll" serve --urls "http://127.0.0.1:$BOT_PORT" >"$WORK/run$1/bot.log" 2>&1 &
  BOT_PID=$!
  PIDS+=("$BOT_PID")
}

for _ in $(seq 1 200); do   # the stub answers 404 on /, which shows it is up
  [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$STUB_PORT/" || true)" == 404 ]] && break
  sleep 0.05
done

log "start to ready: $STARTS fresh starts of bot serve (HTTP mode)"
READY_MS=()
for run in $(seq 1 $STARTS); do
  started=$(now_ns)
  start_bot "$run"
  wait_for_200 "http://127.0.0.1:$BOT_PORT/readyz" 30 || { cat "$WORK/run$run/bot.log" >&2; fail "bot never became ready"; }
  READY_MS+=($(( ($(now_ns) - started) / 1000000 )))
  if (( run < STARTS )); then
    kill "$BOT_PID"; wait "$BOT_PID" 2>/dev/null || true
  fi
done
log "ready after ${READY_MS[*]} ms"

PEER_PORT=$(free_port)
(cd "$BENCH" && PUBLIC_KEY=$PUBLIC_KEY PORT=$PEER_PORT exec node peer-app.js) >"$WORK/peer.log" 2>&1 &
PEER_PID=$!
PIDS+=("$PEER_PID")

log "idle for 10 s, then reading VmRSS"
sleep 10
BOT_RSS_IDLE=$(rss_kb "$BOT_PID")
PEER_RSS_IDLE=$(rss_kb "$PEER_PID")

# ---------------------------------------------------------------- load
BOT_URL="http://127.0.0.1:$BOT_PORT/discord/interactions"
PEER_URL="http://127.0.0.1:$PEER_PORT/interactions"
export BENCH_BODY="$WORK/body.json"
export BENCH_CONTENT_TYPE="application/json" BENCH_TS_HEADER="X-Signature-Timestamp" BENCH_SIG_HEADER="X-Signature-Ed25519"
# What every answer must contain. bot and ceiling: the Closures embed; peer: its fixed sentence.
BOT_EXPECT='"title":"Closures"'
PEER_EXPECT='A closure is'
RESULT_LINES="$WORK/results.jsonl"
: >"$RESULT_LINES"

sign() {   # one signed /explain closures body; the timestamp must stay within the 5-minute window of the bot and ceiling
  eval "$(python3 "$BENCH/sign-request.py" "$BENCH_BODY")"
  export BENCH_TS BENCH_SIG
}

# ---------------------------------------------------------------- ceiling
# The bot's answer to the benchmark request, byte for byte, is what the ceiling sends back, so both put the same
# bytes on the wire and wrk checks both for the same text.
sign
ANSWER_STATUS=$(curl -s --max-time 5 -o "$WORK/answer.body" -D "$WORK/answer.headers" -w '%{http_code}' -X POST \
  -H "Content-Type: $BENCH_CONTENT_TYPE" -H "$BENCH_TS_HEADER: $BENCH_TS" -H "$BENCH_SIG_HEADER: $BENCH_SIG" \
  --data-binary @"$BENCH_BODY" "$BOT_URL") || fail "the bot did not answer the benchmark request"
[[ $ANSWER_STATUS == 200 ]] && grep -qF "$BOT_EXPECT" "$WORK/answer.body" \
  || { cat "$WORK/answer.body" >&2; fail "the bot answered the benchmark request with $ANSWER_STATUS, without $BOT_EXPECT"; }
ANSWER_TYPE=$(sed -n 's/^content-type: *//Ip' "$WORK/answer.headers" | tr -d '\r')
ANSWER_BYTES=$(stat -c %s "$WORK/answer.body")
log "the bot's answer: $ANSWER_BYTES bytes of $ANSWER_TYPE"

CEILING_PORT=$(free_port)
log "starting the ceiling"
dotnet "$WORK/ceiling/ceiling.dll" --urls "http://127.0.0.1:$CEILING_PORT" --DiscordPublicKey "$PUBLIC_KEY" \
  --DiscordReply "$WORK/answer.body" --DiscordReplyType "$ANSWER_TYPE" >"$WORK/ceiling.log" 2>&1 &
CEILING_PID=$!
PIDS+=("$CEILING_PID")
wait_for_200 "http://127.0.0.1:$CEILING_PORT/readyz" 30 || { cat "$WORK/ceiling.log" >&2; fail "the ceiling never became ready"; }
CEILING_URL="http://127.0.0.1:$CEILING_PORT/discord/interactions"

url_of() {
  case $1 in
    bot) echo "$BOT_URL" ;;
    ceiling) echo "$CEILING_URL" ;;
    peer) echo "$PEER_URL" ;;
  esac
}

# $1 server, $2 url, $3 connections, $4 seconds, $5 phase; BENCH_DELAY_MS may be set by the caller.
drive() {
  local server=$1 url=$2 connections=$3 seconds=$4 phase=$5 threads=2 output
  (( connections > 1 )) || threads=1
  if [[ $server == peer ]]; then export BENCH_EXPECT=$PEER_EXPECT; else export BENCH_EXPECT=$BOT_EXPECT; fi
  output=$(wrk -t"$threads" -c"$connections" -d"${seconds}s" --timeout 5s --latency -s "$ROOT/bench/post.lua" "$url") \
    || fail "wrk against $server"
  local result
  result=$(grep '^RESULT ' <<<"$output" | sed 's/^RESULT //') || { echo "$output" >&2; fail "no RESULT line from wrk"; }
  python3 - "$server" "$connections" "$phase" "$result" >>"$RESULT_LINES" <<'EOF' || fail "$server answered wrongly under load (see above)"
import json, sys
server, connections, phase, result = sys.argv[1], int(sys.argv[2]), sys.argv[3], json.loads(sys.argv[4])
if result["non2xx"] or result["wrong"] or result["socket_errors"] or not result["requests"]:
    sys.stderr.write(f"{server} c={connections} {phase}: {result['non2xx']} non-2xx, {result['wrong']} wrong answers, "
                     f"{result['socket_errors']} socket errors of {result['requests']} requests; first bad: {result['sample']}\n")
    sys.exit(1)
print(json.dumps({"server": server, "connections": connections, "phase": phase, **result}))
EOF
  log "$server c=$connections $phase: $(python3 -c 'import json, sys
r = json.loads(sys.argv[1])
print("%.0f req/s, p50 %.2f ms, p99 %.2f ms" % (r["rps"], r["p50_us"] / 1000, r["p99_us"] / 1000))' "$result")"
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
sign
for server in bot ceiling peer; do
  log "warming up $server (${WARMUP} s, 16 connections)"
  drive "$server" "$(url_of "$server")" 16 "$WARMUP" warmup
done
# Interleaved, so that drift in the shared machine's load hits all servers alike.
for connections in 1 16 64; do
  for server in bot ceiling peer; do
    drive "$server" "$(url_of "$server")" "$connections" "$DURATION" full
  done
done

sign
for server in bot peer; do
  url=$(url_of "$server")
  full16=$(python3 -c 'import json,sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r["server"] == sys.argv[2] and r["connections"] == 16 and r["phase"] == "full": print(r["rps"])' "$RESULT_LINES" "$server")
  # Half of the 16-connection throughput over 16 connections: each connection's cycle (answer time + pause)
  # should last 16/target s. A 3 s calibration run at that pause shows how long the answers themselves take,
  # and the measured run pauses that much less.
  export BENCH_DELAY_MS
  target=$(python3 -c 'import sys; print(float(sys.argv[1]) / 2)' "$full16")
  BENCH_DELAY_MS=$(python3 -c 'import sys; print(16 * 1000 / float(sys.argv[1]))' "$target")
  drive "$server" "$url" 16 3 calibrate
  BENCH_DELAY_MS=$(python3 -c 'import json, sys
target, pause = float(sys.argv[1]), float(sys.argv[2])
for line in open(sys.argv[3]):
    r = json.loads(line)
    if r["server"] == sys.argv[4] and r["phase"] == "calibrate": achieved = r["rps"]
answer_ms = 16 * 1000 / achieved - pause
print(max(0.0, 16 * 1000 / target - answer_ms))' "$target" "$BENCH_DELAY_MS" "$RESULT_LINES" "$server")
  drive "$server" "$url" 16 "$DURATION" half
  unset BENCH_DELAY_MS
done

LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
BOT_RSS_LOADED=$(rss_kb "$BOT_PID")
PEER_RSS_LOADED=$(rss_kb "$PEER_PID")
kill "$BOT_PID" "$PEER_PID" "$CEILING_PID"
wait "$BOT_PID" "$PEER_PID" "$CEILING_PID" 2>/dev/null || true

# ---------------------------------------------------------------- gateway
log "gateway event to callback latency (500 interactions, one at a time)"
GATEWAY=$(dotnet run -c Release --no-build --project tests/Bot.Benchmarks -- gateway-latency --bot "$WORK/bot/bot.dll" --count 500 --warmup 50) \
  || fail "gateway-latency"
GATEWAY=$(grep '^RESULT ' <<<"$GATEWAY" | sed 's/^RESULT //')

# ---------------------------------------------------------------- report
python3 "$BENCH/report.py" "$RESULT_LINES" "$RESULTS" \
  --ready-ms "${READY_MS[*]}" --bot-rss "$BOT_RSS_IDLE" --peer-rss "$PEER_RSS_IDLE" \
  --bot-rss-loaded "$BOT_RSS_LOADED" --peer-rss-loaded "$PEER_RSS_LOADED" --gateway "$GATEWAY" \
  --answer-bytes "$ANSWER_BYTES" --answer-type "$ANSWER_TYPE" \
  --loadavg "$LOAD_BEFORE" --loadavg-after "$LOAD_AFTER" --duration "$DURATION" --warmup "$WARMUP" --publish-flags "${BENCH_PUBLISH_FLAGS:--r $RID --self-contained false -p:PublishReadyToRun=true}" \
  --node "$(node --version)" --dotnet "$(dotnet --version)" --wrk "$(wrk -v 2>&1 | head -1 || true)" \
  --discord-interactions "$(node -p 'require(process.argv[1]).version' "$BENCH/node_modules/discord-interactions/package.json")" \
  --express "$(node -p 'require(process.argv[1]).version' "$BENCH/node_modules/express/package.json")"
cat "$RESULTS"
