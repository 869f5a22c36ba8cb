#!/usr/bin/env bash
# Start-up of `bot serve` (start to /readyz 200) with different content, same binary, same machine:
#   bash bench/startup.sh [--runs N] [--binaries] [--ref GIT_REF]...
# Each --ref names a commit whose content/ is served (default: the content of the commit this script
# first appeared beside, the 31-concept course, and the working tree's). With --binaries, each ref
# is also served by the bot built from that commit, so the figures compare releases as a whole.
# Runs alternate between the refs so drift in the machine's load affects each alike; medians and
# spreads are printed.
# No platform is configured, so /readyz waits only for the content and the database: the part that
# grows with the course, measured without the constant cost of a platform's handshake.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
RUNS=15
BINARIES=0
REFS=()
while (( $# > 0 )); do
  case "$1" in
    --runs) RUNS=$2; shift 2 ;;
    --ref) REFS+=("$2"); shift 2 ;;
    --binaries) BINARIES=1; shift ;;
    *) echo "usage: bash bench/startup.sh [--runs N] [--binaries] [--ref GIT_REF]..." >&2; exit 2 ;;
  esac
done
(( ${#REFS[@]} > 0 )) || REFS=(8065d82 WORKTREE)

WORK="$(mktemp -d /tmp/bot-startup-bench.XXXXXX)"
BOT_PID=""
cleanup() {
  [[ -n "$BOT_PID" ]] && kill "$BOT_PID" 2>/dev/null
  for tree in "$WORK"/tree-*; do [[ -d "$tree" ]] && git -C "$ROOT" worktree remove --force "$tree"; done
  rm -rf "$WORK"
}
trap cleanup EXIT

log() { printf '[startup %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
now_ns() { date +%s%N; }

cd "$ROOT"
RID="linux-$(uname -m | sed 's/x86_64/x64/; s/aarch64/arm64/')"
publish() { # source tree, output folder
  log "publishing bot from $1 (Release, ReadyToRun, as in the Docker image)"
  dotnet publish "$1/src/Bot.Host/Bot.Host.csproj" -c Release -o "$2" --nologo -v q -r "$RID" --self-contained false -p:PublishReadyToRun=true >"$WORK/publish.log" 2>&1 \
    || { cat "$WORK/publish.log" >&2; exit 1; }
}
publish "$ROOT" "$WORK/bot"

for ref in "${REFS[@]}"; do
  mkdir -p "$WORK/content-$ref"
  if [[ "$ref" == WORKTREE ]]; then
    cp -r content/. "$WORK/content-$ref/"
  else
    git archive "$ref" content | tar -x -C "$WORK/content-$ref" --strip-components=1
  fi
  log "$ref: $(find "$WORK/content-$ref" -name '*.md' ! -name README.md | wc -l) concept files"
  if [[ "$BINARIES" == 1 && "$ref" != WORKTREE ]]; then
    git worktree add --detach "$WORK/tree-$ref" "$ref" >/dev/null 2>&1
    publish "$WORK/tree-$ref" "$WORK/bot-$ref"
  else
    ln -s "$WORK/bot" "$WORK/bot-$ref"
  fi
done

PORT=$(free_port)
declare -A TIMES
for run in $(seq 1 "$RUNS"); do
  for ref in "${REFS[@]}"; do
    rm -f "$WORK/bot.db"
    started=$(now_ns)
    Content__Path="$WORK/content-$ref" Content__Watch=false Storage__Path="$WORK/bot.db" \
      dotnet "$WORK/bot-$ref/bot.dll" serve --urls "http://127.0.0.1:$PORT" >"$WORK/bot.log" 2>&1 &
    BOT_PID=$!
    until [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$PORT/readyz" || true)" == 200 ]]; do
      kill -0 "$BOT_PID" 2>/dev/null || { cat "$WORK/bot.log" >&2; exit 1; }
      sleep 0.005
    done
    TIMES[$ref]+="$(( ($(now_ns) - started) / 1000000 )) "
    kill "$BOT_PID"; wait "$BOT_PID" 2>/dev/null || true; BOT_PID=""
  done
done

for ref in "${REFS[@]}"; do
  python3 - "$ref" ${TIMES[$ref]} <<'PY'
import statistics, sys
ref, times = sys.argv[1], sorted(int(t) for t in sys.argv[2:])
q = statistics.quantiles(times, n=4)
print(f"{ref:>10}: median {statistics.median(times):.0f} ms, quartiles {q[0]:.0f}-{q[2]:.0f} ms, min {times[0]} ms, over {len(times)} starts")
PY
done
