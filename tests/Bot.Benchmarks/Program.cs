using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using Bot.Benchmarks;

// Run from the repository root:
//   dotnet run -c Release --project tests/Bot.Benchmarks -- --filter '*'
// Reports go to tests/Bot.Benchmarks/BenchmarkDotNet.Artifacts (git-ignored).
//   dotnet run -c Release --project tests/Bot.Benchmarks -- lookup-latency [--rounds 30]
// times every labelled learner query one by one on the course and a generated 1,000-concept course (p50, p99, max).
//   dotnet run -c Release --project tests/Bot.Benchmarks -- gateway-latency --bot <published bot.dll> [--count 500] [--warmup 50]
// measures gateway event to callback latency of a real bot process (see GatewayLatency); bench/discord/run.sh uses it.
//   dotnet run -c Release --project tests/Bot.Benchmarks -- socket-latency (--bot <published bot.dll> | --peer bench/slack) [--count 500] [--warmup 50]
// measures Slack Socket Mode envelope to ack latency (see SocketModeLatency); bench/slack/run.sh uses it.
if (args is ["lookup-latency", .. var lookupArgs])
{
    return LookupLatency.Run(lookupArgs);
}

if (args is ["gateway-latency", .. var rest])
{
    return await GatewayLatency.RunAsync(rest);
}

if (args is ["socket-latency", .. var socketArgs])
{
    return await SocketModeLatency.RunAsync(socketArgs);
}

var config = DefaultConfig.Instance.WithArtifactsPath(Path.Combine(RepoPaths.Root, "tests", "Bot.Benchmarks", "BenchmarkDotNet.Artifacts"));
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
return 0;
