using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using Bot.Benchmarks;

// Run from the repository root:
//   dotnet run -c Release --project tests/Bot.Benchmarks -- --filter '*'
// Reports go to tests/Bot.Benchmarks/BenchmarkDotNet.Artifacts (git-ignored).
var config = DefaultConfig.Instance.WithArtifactsPath(Path.Combine(RepoPaths.Root, "tests", "Bot.Benchmarks", "BenchmarkDotNet.Artifacts"));
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
