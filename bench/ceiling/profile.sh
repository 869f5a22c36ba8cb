#!/usr/bin/env bash
# Where a server's CPU goes under the benchmark's load: `perf record` of the published bot and of the ceiling,
# each while wrk drives it with 16 connections, summarised by area (profile-summary.py). Run from the
# repository root:
#
#   bash bench/ceiling/profile.sh [slack|discord]      (default slack)
#
# Knobs (environment): PROFILE_SECONDS (recorded seconds per server, default 15), BENCH_WARMUP (s of load
# before recording, default 15), PROFILE_OUT (folder for the perf data and summaries, default a new one under
# /tmp; kept). Needs perf (linux-perf) and permission to record another process (root, or
# kernel.perf_event_paranoid <= 1).
#
# The servers run with DOTNET_PerfMapEnabled=1, so perf can name JIT-compiled methods (the hot ones are all
# re-jitted at tier 1 after the warm-up, ReadyToRun or not), and DOTNET_EnableWriteXorExecute=0, without which
# perf sees code through a second mapping it cannot name. Call stacks are walked by frame pointers, which the
# JIT always keeps; native frames without them (parts of libcoreclr) end a stack early, so inclusive shares
# are lower bounds. The machine's other load changes how fast things run, not much what a request spends its
# CPU on, so the shares are meaningful on a busy machine where throughput figures are not.
set -euo pipefail

PLATFORM="${1:-slack}"
[[ $PLATFORM == slack || $PLATFORM == discord ]] || { echo "usage: bash bench/ceiling/profile.sh [slack|discord]" >&2; exit 2; }
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BENCH="$ROOT/bench/$PLATFORM"
SECONDS_RECORDED="${PROFILE_SECONDS:-15}"
WARMUP="${BENCH_WARMUP:-15}"
OUT="${PROFILE_OUT:-$(mktemp -d /tmp/bot-profile.XXXXXX)}"
mkdir -p "$OUT"
export SLACK_SIGNING_SECRET=bench-signing-secret-0123456789abcdef
PUBLIC_KEY=d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a   # RFC 8032 TEST 1 key; sign-request.py holds its seed

cd "$ROOT"
WORK="$(mktemp -d /tmp/bot-profile-work.XXXXXX)"
PIDS=()
log() { printf '[profile %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
fail() { log "FAILED: $*"; exit 1; }
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
wait_for_200() {
  local url=$1 deadline=$(( $(date +%s) + $2 ))
  until [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$url" || true)" == 200 ]]; do
    (( $(date +%s) < deadline )) || return 1
    sleep 0.01
  done
}

command -v perf >/dev/null || fail "perf is required (apt-get install linux-perf)"
command -v wrk >/dev/null || fail "wrk is required (apt-get install wrk)"
[[ $PLATFORM == slack ]] || python3 -c 'import cryptography' 2>/dev/null || python3 -m pip install --quiet cryptography

RID="linux-$(uname -m | sed 's/x86_64/x64/; s/aarch64/arm64/')"
for project in src/Bot.Host/Bot.Host.csproj bench/ceiling/Ceiling.csproj; do
  log "publishing $project (Release, ReadyToRun, as run.sh does)"
  dotnet publish "$project" -c Release -o "$WORK/$(basename "$project" .csproj)" --nologo -v q \
    -r "$RID" --self-contained false -p:PublishReadyToRun=true >"$WORK/publish.log" 2>&1 \
    || { cat "$WORK/publish.log" >&2; fail "dotnet publish $project"; }
done

STUB_PORT=$(free_port)
python3 "$BENCH/rest-stub.py" "$STUB_PORT" &
PIDS+=($!)
export STUB_PORT
export DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0

BOT_PORT=$(free_port)
CEILING_PORT=$(free_port)
if [[ $PLATFORM == slack ]]; then
  Slack__BotToken=xoxb-bench Slack__SigningSecret=$SLACK_SIGNING_SECRET Slack__ApiBaseUrl="http://127.0.0.1:$STUB_PORT/api/" \
  Storage__Path="$WORK/bot.db" Content__Watch=false \
    dotnet "$WORK/Bot.Host/bot.dll" serve --urls "http://127.0.0.1:$BOT_PORT" >"$OUT/bot.log" 2>&1 &
  BOT_URL="http://127.0.0.1:$BOT_PORT/slack/events"
  CEILING_URL="http://127.0.0.1:$CEILING_PORT/slack/events"
  export BENCH_BODY="$WORK/body.form" BENCH_CONTENT_TYPE="application/x-www-form-urlencoded"
  export BENCH_TS_HEADER="X-Slack-Request-Timestamp" BENCH_SIG_HEADER="X-Slack-Signature"
  export BENCH_EXPECT='"text":"Closures","emoji":true'
else
  Discord__BotToken=bench-not-a-real-token Discord__ApplicationId=1100000000000000000 Discord__Transport=Http \
  Discord__PublicKey=$PUBLIC_KEY Discord__ApiBaseUrl="http://127.0.0.1:$STUB_PORT/api/v10/" \
  Storage__Path="$WORK/bot.db" Content__Watch=false \
    dotnet "$WORK/Bot.Host/bot.dll" serve --urls "http://127.0.0.1:$BOT_PORT" >"$OUT/bot.log" 2>&1 &
  BOT_URL="http://127.0.0.1:$BOT_PORT/discord/interactions"
  CEILING_URL="http://127.0.0.1:$CEILING_PORT/discord/interactions"
  export BENCH_BODY="$WORK/body.json" BENCH_CONTENT_TYPE="application/json"
  export BENCH_TS_HEADER="X-Signature-Timestamp" BENCH_SIG_HEADER="X-Signature-Ed25519"
  export BENCH_EXPECT='"title":"Closures"'
fi
BOT_PID=$!
PIDS+=("$BOT_PID")
wait_for_200 "http://127.0.0.1:$BOT_PORT/readyz" 60 || { cat "$OUT/bot.log" >&2; fail "bot never became ready"; }

eval "$(python3 "$BENCH/sign-request.py" "$BENCH_BODY")"
export BENCH_TS BENCH_SIG
# The ceiling answers with the bot's own answer, as in run.sh.
curl -s --max-time 5 -o "$WORK/answer.body" -D "$WORK/answer.headers" -X POST -H "Content-Type: $BENCH_CONTENT_TYPE" \
  -H "$BENCH_TS_HEADER: $BENCH_TS" -H "$BENCH_SIG_HEADER: $BENCH_SIG" --data-binary @"$BENCH_BODY" "$BOT_URL"
grep -qF "$BENCH_EXPECT" "$WORK/answer.body" || { cat "$WORK/answer.body" >&2; fail "unexpected answer from the bot"; }
ANSWER_TYPE=$(sed -n 's/^content-type: *//Ip' "$WORK/answer.headers" | tr -d '\r')
if [[ $PLATFORM == slack ]]; then
  CEILING_ARGS=(--SlackSigningSecret "$SLACK_SIGNING_SECRET" --SlackReply "$WORK/answer.body" --SlackReplyType "$ANSWER_TYPE")
else
  CEILING_ARGS=(--DiscordPublicKey "$PUBLIC_KEY" --DiscordReply "$WORK/answer.body" --DiscordReplyType "$ANSWER_TYPE")
fi
dotnet "$WORK/Ceiling/ceiling.dll" --urls "http://127.0.0.1:$CEILING_PORT" "${CEILING_ARGS[@]}" >"$OUT/ceiling.log" 2>&1 &
CEILING_PID=$!
PIDS+=("$CEILING_PID")
wait_for_200 "http://127.0.0.1:$CEILING_PORT/readyz" 30 || { cat "$OUT/ceiling.log" >&2; fail "the ceiling never became ready"; }

# $1 name, $2 pid, $3 url: warm up, then record while wrk keeps the same load going.
profile() {
  local name=$1 pid=$2 url=$3
  log "$name: warming up ${WARMUP} s"
  wrk -t2 -c16 -d"${WARMUP}s" --timeout 5s -s "$ROOT/bench/post.lua" "$url" >/dev/null
  log "$name: recording ${SECONDS_RECORDED} s under load (load average $(cut -d' ' -f1-3 /proc/loadavg))"
  wrk -t2 -c16 -d"$(( SECONDS_RECORDED + 4 ))s" --timeout 5s -s "$ROOT/bench/post.lua" "$url" >"$OUT/$name.wrk" &
  local wrk_pid=$!
  sleep 2
  perf record -F 999 -g -p "$pid" -o "$OUT/$name.perf.data" -- sleep "$SECONDS_RECORDED" 2>"$OUT/$name.perf.log"
  wait "$wrk_pid"
  grep '^RESULT ' "$OUT/$name.wrk" | sed 's/^RESULT /  wrk: /' >&2
  perf script -i "$OUT/$name.perf.data" -F comm,tid,ip,sym,dso 2>/dev/null >"$OUT/$name.stacks"
}
profile bot "$BOT_PID" "$BOT_URL"
profile ceiling "$CEILING_PID" "$CEILING_URL"
cp "/tmp/perf-$BOT_PID.map" "$OUT/bot.perf.map" 2>/dev/null || true
cp "/tmp/perf-$CEILING_PID.map" "$OUT/ceiling.perf.map" 2>/dev/null || true

python3 "$ROOT/bench/ceiling/profile-summary.py" --seconds "$SECONDS_RECORDED" \
  "bot=$OUT/bot.stacks:$OUT/bot.wrk" "ceiling=$OUT/ceiling.stacks:$OUT/ceiling.wrk" | tee "$OUT/summary.md"
log "perf data, stacks and summary in $OUT"
