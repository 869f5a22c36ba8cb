#!/usr/bin/env bash
# Start-up and idle memory of `bot serve`, against two yardsticks built and run the same way:
#   bash bench/footprint.sh [--runs N] [--settle SECONDS] [--bot LABEL=PUBLISHED_DIR]...
#
#   hello      a hello-world console program: process start to exit
#   bare       a bare WebApplication.CreateSlimBuilder app with one /readyz endpoint: start to first 200
#   bot        `bot serve` (no platform configured, the repository's content and appsettings.json,
#              a new database each start): start to /readyz 200
#
# All three are published as the Dockerfile publishes the bot (Release, linux-x64 or arm64,
# framework-dependent, ReadyToRun) and started with `dotnet X.dll`, as the image does. Runs alternate
# between the three so drift in the machine's load touches each alike; medians are printed, with the
# process's own CPU time at the moment it was ready (user + system, from /proc/PID/stat), which other
# processes on the machine disturb far less than the wall clock. Idle memory: VmRSS of the bot and of
# the bare app SETTLE seconds after ready (median of 3 starts), split by what is mapped.
# --bot LABEL=DIR (repeatable) measures bots already published (another commit, another publish mode,
# Native AOT) instead of publishing this tree's; they alternate with the yardsticks like the rest.
# --counters adds a start-up hook (DOTNET_STARTUP_HOOKS) to each bot start that samples the runtime's own
# counters every 5 ms and reports them as they were when /readyz first answered: methods JIT-compiled
# and time spent compiling, GC count and pause time, bytes allocated (not for Native AOT, which has no hooks).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
RUNS=11
SETTLE=10
BOTS=()
COUNTERS=0
while (( $# > 0 )); do
  case "$1" in
    --runs) RUNS=$2; shift 2 ;;
    --counters) COUNTERS=1; shift ;;
    --settle) SETTLE=$2; shift 2 ;;
    --bot) [[ "$2" == *=* ]] || { echo "--bot takes LABEL=PUBLISHED_DIR" >&2; exit 2; }
           BOTS+=("${2%%=*}=$(cd "${2#*=}" && pwd)"); shift 2 ;;
    *) echo "usage: bash bench/footprint.sh [--runs N] [--settle SECONDS] [--counters] [--bot LABEL=PUBLISHED_DIR]..." >&2; exit 2 ;;
  esac
done

WORK="$(mktemp -d /tmp/bot-footprint.XXXXXX)"
cleanup() {
  # The harness kills what it starts; this is for an interrupted run.
  [[ -f "$WORK/pid" ]] && kill "$(cat "$WORK/pid")" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
log() { printf '[footprint %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

RID="linux-$(uname -m | sed 's/x86_64/x64/; s/aarch64/arm64/')"
# As in the Dockerfile's publish step.
PUBLISH=(-c Release -r "$RID" --self-contained false -p:PublishReadyToRun=true --nologo -v q)
publish() { # project, output folder
  log "publishing $(basename "$1") (${PUBLISH[*]})"
  dotnet publish "$1" "${PUBLISH[@]}" -o "$2" >"$WORK/publish.log" 2>&1 || { cat "$WORK/publish.log" >&2; exit 1; }
}

# The yardsticks live outside the repository so that its Directory.Build.props does not reach them:
# they are what `dotnet new console` and a minimal slim web app give.
mkdir -p "$WORK/hello" "$WORK/bare"
cat >"$WORK/hello/hello.csproj" <<'XML'
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <ImplicitUsings>enable</ImplicitUsings>
    <Nullable>enable</Nullable>
  </PropertyGroup>
</Project>
XML
echo 'Console.WriteLine("Hello, World!");' >"$WORK/hello/Program.cs"
cat >"$WORK/bare/bare.csproj" <<'XML'
<Project Sdk="Microsoft.NET.Sdk.Web">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <ImplicitUsings>enable</ImplicitUsings>
    <Nullable>enable</Nullable>
  </PropertyGroup>
</Project>
XML
cat >"$WORK/bare/Program.cs" <<'CS'
var builder = WebApplication.CreateSlimBuilder(args);
var app = builder.Build();
app.MapGet("/readyz", () => "ok");
app.Run();
CS

if [[ "$COUNTERS" == 1 ]]; then
  mkdir -p "$WORK/hook"
  cat >"$WORK/hook/hook.csproj" <<'XML'
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <ImplicitUsings>enable</ImplicitUsings>
    <Nullable>enable</Nullable>
  </PropertyGroup>
</Project>
XML
  cat >"$WORK/hook/StartupHook.cs" <<'CS'
using System.Globalization;
using System.Runtime;

// Loaded by DOTNET_STARTUP_HOOKS before Main. Samples the runtime's counters every 5 ms; at exit, appends the
// last sample taken before the Unix time (ms) that the harness wrote to FOOTPRINT_READY_FILE, as one CSV line
// to FOOTPRINT_COUNTERS_FILE: jitted methods, JIT ms, GCs, GC pause ms, MB allocated.
internal static class StartupHook
{
    public static void Initialize()
    {
        var samples = new List<(long At, long Methods, double JitMs, int Gcs, double PauseMs, long Allocated)>();
        var sampler = new Thread(() =>
        {
            while (true)
            {
                var sample = (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), JitInfo.GetCompiledMethodCount(), JitInfo.GetCompilationTime().TotalMilliseconds,
                    GC.CollectionCount(0), GC.GetTotalPauseDuration().TotalMilliseconds, GC.GetTotalAllocatedBytes());
                lock (samples)
                {
                    samples.Add(sample);
                }

                Thread.Sleep(5);
            }
        }) { IsBackground = true, Name = "footprint counters" };
        sampler.Start();
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            var readyFile = Environment.GetEnvironmentVariable("FOOTPRINT_READY_FILE");
            var outFile = Environment.GetEnvironmentVariable("FOOTPRINT_COUNTERS_FILE");
            if (readyFile is null || outFile is null || !File.Exists(readyFile))
            {
                return;
            }

            var ready = long.Parse(File.ReadAllText(readyFile).Trim(), CultureInfo.InvariantCulture);
            lock (samples)
            {
                var s = samples.FindLast(x => x.At <= ready);
                File.AppendAllText(outFile, string.Create(CultureInfo.InvariantCulture,
                    $"{s.Methods},{s.JitMs:F1},{s.Gcs},{s.PauseMs:F1},{s.Allocated / 1048576.0:F1}\n"));
            }
        };
    }
}
CS
  publish "$WORK/hook/hook.csproj" "$WORK/out-hook"
fi

publish "$WORK/hello/hello.csproj" "$WORK/out-hello"
publish "$WORK/bare/bare.csproj" "$WORK/out-bare"
if (( ${#BOTS[@]} == 0 )); then
  # From a copy of the working tree without bin/ and obj/: a clean build, as in the Docker image. (Incremental
  # publishes in one tree can reuse stale ReadyToRun output; after a composite publish they produced a bot that
  # aborted at start.)
  mkdir -p "$WORK/tree"
  (cd "$ROOT" && tar -c --exclude=bin --exclude=obj src Directory.Build.props Directory.Packages.props .editorconfig) | tar -x -C "$WORK/tree"
  publish "$WORK/tree/src/Bot.Host/Bot.Host.csproj" "$WORK/out-bot"
  BOTS=("bot=$WORK/out-bot")
fi

log "measuring: $RUNS alternating starts of each, then idle RSS ${SETTLE}s after ready"
cd "$ROOT"
python3 - "$WORK" "$RUNS" "$SETTLE" "$COUNTERS" "${BOTS[@]}" <<'PY'
import http.client, os, re, socket, statistics, subprocess, sys, time

work, runs, settle, counters = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4] == "1"
bots = dict(arg.split("=", 1) for arg in sys.argv[5:])
ticks = os.sysconf("SC_CLK_TCK")

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

def cpu_ms(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / ticks

def command(name, port):
    if name == "hello":
        return ["dotnet", f"{work}/out-hello/hello.dll"], {}
    if name == "bare":
        return ["dotnet", f"{work}/out-bare/bare.dll", "--urls", f"http://127.0.0.1:{port}"], {}
    folder = bots[name]
    # `dotnet bot.dll` as the image runs it; a build without an IL entry assembly (Native AOT) runs as ./bot.
    bot_cmd = ["dotnet", f"{folder}/bot.dll"] if os.path.exists(f"{folder}/bot.dll") else [f"{folder}/bot"]
    db = f"{work}/bot.db"
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    env = {"Content__Path": os.path.join(os.getcwd(), "content"), "Content__Watch": "false", "Storage__Path": db}
    if counters and measuring:
        env.update(DOTNET_STARTUP_HOOKS=f"{work}/out-hook/hook.dll", FOOTPRINT_READY_FILE=f"{work}/ready",
                   FOOTPRINT_COUNTERS_FILE=f"{work}/counters-{name}.csv")
    return bot_cmd + ["serve", "--urls", f"http://127.0.0.1:{port}"], env

def ready(port):
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        conn.request("GET", "/readyz")
        status = conn.getresponse().status
        conn.close()
        return status == 200
    except OSError:
        return False

def start(name):
    """Starts NAME; returns (process, ms to exit or ready, cpu ms at that moment)."""
    port = free_port()
    argv, env = command(name, port)
    log = open(f"{work}/{name}.log", "w")
    began = time.perf_counter()
    proc = subprocess.Popen(argv, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT)
    open(f"{work}/pid", "w").write(str(proc.pid))
    if name == "hello":
        usage_before = os.times()
        proc.wait()
        ms = (time.perf_counter() - began) * 1000
        usage = os.times()
        cpu = ((usage.children_user - usage_before.children_user) + (usage.children_system - usage_before.children_system)) * 1000
        return proc, ms, cpu
    while not ready(port):
        if proc.poll() is not None:
            sys.exit(f"{name} exited with {proc.returncode} before ready:\n" + open(f"{work}/{name}.log").read())
        if time.perf_counter() - began > 60:
            proc.kill()
            sys.exit(f"{name} was not ready within 60 s")
        time.sleep(0.002)
    ms = (time.perf_counter() - began) * 1000
    open(f"{work}/ready", "w").write(str(int(time.time() * 1000)))
    return proc, ms, cpu_ms(proc.pid)

def stop(proc):
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

def memory(pid):
    """VmRSS, threads, and RSS by kind of mapping (kB)."""
    status = open(f"/proc/{pid}/status").read()
    rss = int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
    threads = int(re.search(r"Threads:\s+(\d+)", status).group(1))
    parts = {"managed images": 0, "native libraries": 0, "anonymous (GC heap, runtime heaps, stacks)": 0, "executable memory (W^X double-mapped)": 0}
    kind = None
    for line in open(f"/proc/{pid}/smaps"):
        m = re.match(r"^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$", line)
        if m:
            path = m.group(1)
            if "doublemapper" in path:
                kind = "executable memory (W^X double-mapped)"
            elif path.endswith(".dll"):
                kind = "managed images"
            elif ".so" in path or path.endswith("/dotnet") or path.endswith("/bot"):
                kind = "native libraries"
            else:
                kind = "anonymous (GC heap, runtime heaps, stacks)"
        elif line.startswith("Rss:"):
            parts[kind] += int(line.split()[1])
    return rss, threads, parts

measuring = False  # the hook only in measured starts, not in the warm-up or memory ones
names = ["hello", "bare", *bots]
times = {n: [] for n in names}
cpus = {n: [] for n in names}
for n in names:  # one unmeasured start each, so every file is in the page cache
    stop(start(n)[0])
measuring = True
for _ in range(runs):
    for n in names:
        proc, ms, cpu = start(n)
        stop(proc)
        times[n].append(ms)
        cpus[n].append(cpu)

measuring = False
mem = {}
for n in ["bare", *bots]:
    samples = []
    for _ in range(3):
        proc, _, _ = start(n)
        time.sleep(settle)
        samples.append(memory(proc.pid))
        stop(proc)
    samples.sort(key=lambda s: s[0])
    mem[n] = samples[1]

med = {n: statistics.median(times[n]) for n in names}
cmed = {n: statistics.median(cpus[n]) for n in names}
quartiles = lambda xs: statistics.quantiles(xs, n=4) if len(xs) > 1 else [xs[0]] * 3
label = {"hello": "hello world, start to exit", "bare": "bare slim ASP.NET app, start to /readyz 200"}
label.update({b: f"`bot serve` ({b}), start to /readyz 200" for b in bots})
print()
print(f"| What ({runs} alternating starts each) | Median | Quartiles | CPU time (median) | × hello world (goal ≤ 8×) |")
print("|---|---:|---:|---:|---:|")
for n in names:
    lo, _, hi = quartiles(times[n])
    ratio = "" if n == "hello" else f"{med[n] / med['hello']:.1f}×"
    print(f"| {label[n]} | {med[n]:.0f} ms | {lo:.0f}–{hi:.0f} ms | {cmed[n]:.0f} ms | {ratio} |")
print()
kinds = list(mem["bare"][2].keys())
print(f"| Idle, {settle:.0f} s after ready (median of 3) | VmRSS (goal ≤ 80 MB) | Threads | " + " | ".join(kinds) + " |")
print("|---|---:|---:|" + "---:|" * len(kinds))
for n in ["bare", *bots]:
    rss, threads, parts = mem[n]
    name = "bare slim ASP.NET app" if n == "bare" else f"`bot serve` ({n})"
    print(f"| {name} | {rss / 1024:.1f} MB | {threads} | " + " | ".join(f"{parts[k] / 1024:.1f} MB" for k in kinds) + " |")
if counters:
    print()
    print("| At the first /readyz 200 (median of the measured starts) | Methods JIT-compiled | JIT time | GCs | GC pauses | Allocated |")
    print("|---|---:|---:|---:|---:|---:|")
    for b in bots:
        path = f"{work}/counters-{b}.csv"
        if not os.path.exists(path):
            print(f"| `bot serve` ({b}) | (no start-up hook: Native AOT?) | | | | |")
            continue
        rows = [[float(x) for x in line.split(",")] for line in open(path) if line.strip()]
        m = [statistics.median(col) for col in zip(*rows)]
        print(f"| `bot serve` ({b}) | {m[0]:.0f} | {m[1]:.0f} ms | {m[2]:.0f} | {m[3]:.0f} ms | {m[4]:.1f} MB |")
PY
