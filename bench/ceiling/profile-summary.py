"""Summarises profile.sh's `perf script` stacks by area, for the bot beside the ceiling.

    python3 profile-summary.py [--seconds S] [--frequency HZ] LABEL=STACKS:WRK_OUTPUT...

Each sample goes to one area: the innermost frame of its stack that names one (walking from the leaf to the
thread's start), so time spent in the runtime's allocator or in a copy routine counts for the code that
called it; a stack with no named frame goes by the library its leaf is in. CPU per request is the samples'
CPU time (samples / frequency) over the requests wrk counted during the recorded seconds, so it compares
servers that ran at different speeds. Then the top frames of the first label, exclusive (leaf) and inclusive
(anywhere on the stack)."""
import argparse
import collections
import json
import re

# (area, pattern on a frame's text), tried in this order on each frame. The last, async plumbing, is tried only
# when no frame matches another, so a continuation that runs rendering counts as rendering.
AREAS = [
    ("signature check (HMAC-SHA256 / Ed25519)", r"SlackSignature|InteractionSignature|HMACSHA256|NSec|libsodium|libcrypto|System\.Security\.Cryptography"),
    ("body read (64 KiB cap)", r"ReadBodyAsync|ReadSignedBodyAsync|System\.IO\.MemoryStream"),
    ("form parsing", r"QueryHelpers|FormReader|KeyValueAccumulator|UriHelper::Unescape|Uri::UnescapeDataString|SlackSlashCommand|FromFields"),
    ("JSON parsing", r"JsonDocument|Utf8JsonReader|JsonSerializer::Deserialize|ReadStack|JsonElement"),
    ("JSON serialization of the answer", r"System\.Text\.Json|System\.Text\.Encodings\.Web"),
    ("rendering (Block Kit / embeds)", r"Bot\.Slack\.Rendering|Bot\.Discord\.Rendering|Bot\.Core\.Replies|SlackPipeline::Messages|InteractionResponses"),
    ("command (Core: parse, dispatch, /explain)", r"Bot\.Core\.(CommandPipeline|CommandDispatcher|Explain|Knowledge|Commands|Search)|CommandText::Parse"),
    ("logging (interaction line, Serilog console sink)", r"Serilog|Microsoft\.Extensions\.Logging|InteractionLog|LogText|System\.Console|ConsolePal"),
    ("metrics and tracing", r"BotMetrics|System\.Diagnostics\.Metrics|OpenTelemetry|System\.Diagnostics\.Activity|HostingMetrics|HostingApplicationDiagnostics|Instrument"),
    ("answer deadline and in-flight tracking", r"AnswerDeadline|InFlightWork|RecentKeys"),
    ("the app's own handler code", r"Bot\.Slack\.|Bot\.Discord\.|Bot\.Adapters\.|\[ceiling\]"),
    ("Kestrel, routing, sockets (incl. the kernel's TCP work)", r"Microsoft\.AspNetCore|System\.IO\.Pipelines|System\.Net\.Sockets|Microsoft\.Extensions\.Primitives|System\.Net\.Http\.Headers"),
    ("async continuations and thread pool", r"System\.Threading|System\.Runtime\.CompilerServices\.Async|PortableThreadPool"),
]
LEAF_LIBRARIES = [
    ("runtime (libcoreclr: GC, stubs, type checks), no managed caller", r"libcoreclr"),
    ("JIT compiler", r"libclrjit"),
    ("kernel, no managed caller (scheduling, idle spinning)", r"kernel"),
]
LEAF_KINDS = [
    ("kernel", r"\[kernel"),
    ("managed code (JIT-compiled)", r"perf-\d+\.map|\.dll\)"),
    ("runtime (libcoreclr)", r"libcoreclr"),
    ("JIT compiler (libclrjit)", r"libclrjit"),
    ("OpenSSL (libcrypto)", r"libcrypto"),
    ("C library (libc, ld.so)", r"libc\.so|ld-linux"),
]


def samples(path):
    with open(path, errors="replace") as stacks:
        frames = None
        for line in stacks:
            if not line.strip():
                if frames:
                    yield frames
                frames = None
            elif not line[0].isspace():
                frames = []
            elif frames is not None:
                frames.append(line.strip())
        if frames:
            yield frames


def short(frame):
    frame = re.sub(r"^[0-9a-f]+ ", "", frame)
    frame = re.sub(r"\[(OptimizedTier1OSR|OptimizedTier1|Optimized|Tier0|Tier1|QuickJitted|PreJIT|Instrumented[^]]*)\]", "", frame)
    frame = re.sub(r" \(/tmp/perf-\d+\.map\)$", "", frame)
    frame = re.sub(r"^(instance |static )?(class |valuetype )?\S+ (\[[^]]+\] )?", "", frame) if "::" in frame else frame
    frame = re.sub(r"\(.*\)$", "()", frame) if "::" in frame else frame
    return frame[:150]


def classify(frames):
    # Async plumbing and the thread pool only when no frame names real work: an inlined state machine leaves
    # AsyncMethodBuilderCore.Start between an allocation and the method that asked for it.
    for areas in (AREAS[:-1], AREAS[-1:]):
        for frame in frames:
            for area, pattern in areas:
                if re.search(pattern, frame):
                    return area
    for area, pattern in LEAF_LIBRARIES:
        if re.search(pattern, frames[0]):
            return area
    return "other"


def leaf_kind(frame):
    for kind, pattern in LEAF_KINDS:
        if re.search(pattern, frame):
            return kind
    return "other"


parser = argparse.ArgumentParser()
parser.add_argument("--seconds", type=float, default=15)
parser.add_argument("--frequency", type=float, default=999)
parser.add_argument("--top", type=int, default=25)
parser.add_argument("profiles", nargs="+", help="LABEL=STACKS:WRK_OUTPUT")
args = parser.parse_args()

profiles = {}
for spec in args.profiles:
    label, files = spec.split("=", 1)
    stacks_path, wrk_path = files.split(":", 1)
    result = next(json.loads(line[len("RESULT "):]) for line in open(wrk_path) if line.startswith("RESULT "))
    areas, kinds, exclusive, inclusive, total = collections.Counter(), collections.Counter(), collections.Counter(), collections.Counter(), 0
    for frames in samples(stacks_path):
        total += 1
        areas[classify(frames)] += 1
        kinds[leaf_kind(frames[0])] += 1
        exclusive[short(frames[0])] += 1
        for name in {short(frame) for frame in frames}:
            inclusive[name] += 1
    requests = result["rps"] * args.seconds
    profiles[label] = {"areas": areas, "kinds": kinds, "exclusive": exclusive, "inclusive": inclusive, "total": total,
                       "rps": result["rps"], "us_per_sample": 1e6 / args.frequency / requests}

labels = list(profiles)
out = print
out("| | " + " | ".join(labels) + " |")
out("|---|" + "---:|" * len(labels))
out("| req/s while recorded (wrk, 16 connections) | " + " | ".join(f"{profiles[l]['rps']:,.0f}" for l in labels) + " |")
out("| samples | " + " | ".join(f"{profiles[l]['total']:,}" for l in labels) + " |")
out("| CPU per request | " + " | ".join(f"{profiles[l]['total'] * profiles[l]['us_per_sample']:.1f} µs" for l in labels) + " |")
out("")
out("By area (the innermost frame that names one): share of the server's samples, and CPU µs per request")
out("")
out("| area | " + " | ".join(f"{l} share | {l} µs/req" for l in labels) + " |")
out("|---|" + "---:|---:|" * len(labels))
names = [area for area, _ in AREAS] + [area for area, _ in LEAF_LIBRARIES] + ["other"]
first = profiles[labels[0]]
for area in sorted(names, key=lambda a: -first["areas"][a]):
    if not any(profiles[l]["areas"][area] for l in labels):
        continue
    cells = []
    for label in labels:
        p = profiles[label]
        cells.append(f"{p['areas'][area] / p['total']:.1%} | {p['areas'][area] * p['us_per_sample']:.1f}")
    out(f"| {area} | " + " | ".join(cells) + " |")
out("")
out("By where the leaf frame is (exclusive): share of samples, CPU µs per request")
out("")
out("| leaf in | " + " | ".join(f"{l} share | {l} µs/req" for l in labels) + " |")
out("|---|" + "---:|---:|" * len(labels))
for kind in [k for k, _ in LEAF_KINDS] + ["other"]:
    cells = []
    for label in labels:
        p = profiles[label]
        cells.append(f"{p['kinds'][kind] / p['total']:.1%} | {p['kinds'][kind] * p['us_per_sample']:.1f}")
    out(f"| {kind} | " + " | ".join(cells) + " |")
for label in labels:
    p = profiles[label]
    out("")
    out(f"Top {args.top} frames of {label}, exclusive (self) and inclusive (on the stack)")
    out("")
    out("| self | frame | | on stack | frame |")
    out("|---:|---|---|---:|---|")
    # Frames every stack has (the thread's start, unnamed runtime frames) say nothing; the list leaves them out.
    inclusive = [(name, count) for name, count in p["inclusive"].most_common() if not re.search(r"\[unknown\]|start_thread", name)]
    for (ex_name, ex_count), (in_name, in_count) in zip(p["exclusive"].most_common(args.top), inclusive[:args.top]):
        out(f"| {ex_count / p['total']:.1%} | `{ex_name}` | | {in_count / p['total']:.1%} | `{in_name}` |")
