using Bot.Core.Knowledge;
using Bot.Host.Content;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Host.Tests;

public sealed class ContentServiceTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("bot-content-");
    private readonly ListLogger<ContentService> _logger = new();

    public ContentServiceTests()
    {
        foreach (var file in Directory.EnumerateFiles(RepoPaths.Fixture("valid"), "*.md", SearchOption.AllDirectories))
        {
            var target = Path.Combine(_folder.FullName, Path.GetRelativePath(RepoPaths.Fixture("valid"), file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public async Task Start_InvalidContent_ThrowsWithEveryErrorOnceTheOtherServicesHaveStarted()
    {
        using var service = CreateService(RepoPaths.Fixture(Path.Combine("broken", "missing-summary")), watch: false);
        await service.StartingAsync(CancellationToken.None);
        await service.StartAsync(CancellationToken.None);

        var thrown = await Assert.ThrowsAsync<InvalidKnowledgeBaseException>(() => service.StartedAsync(CancellationToken.None));

        Assert.Contains("missing summary", Assert.Single(thrown.Errors).Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => service.Current);
    }

    [Fact]
    public async Task FileChange_ValidEdit_IsServedAfterReload()
    {
        using var service = CreateService(_folder.FullName, watch: true);
        await StartAsync(service);
        var reloaded = NextReload(service, result => result.IsValid);

        await EditAsync("closures.md", "title: Closures", "title: Closures, edited");

        await reloaded.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal("Closures, edited", service.Current.FindById("closures")!.Title);
    }

    [Fact]
    public async Task FileChange_InvalidEdit_KeepsTheLastGoodKnowledgeBaseAndLogsTheErrors()
    {
        using var service = CreateService(_folder.FullName, watch: true);
        await StartAsync(service);
        var lastGood = service.Current;
        var rejected = NextReload(service, result => !result.IsValid);

        await EditAsync("scope.md", "related: [closures]", "related: [nowhere]");

        await rejected.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Same(lastGood, service.Current);
        var path = Path.Combine(_folder.FullName, "python", "scope.md");
        Assert.Contains(_logger.Entries, entry => entry.Level == LogLevel.Error
            && entry.Message.StartsWith($"Content error: {path}:6: related 'nowhere' names no concept", StringComparison.Ordinal));
        Assert.Contains(_logger.Entries, entry => entry.Level == LogLevel.Warning && entry.Message.Contains("last good", StringComparison.Ordinal));
    }

    /// <summary>The early load is what start serves: the folder is gone by then, and the start still succeeds.</summary>
    [Fact]
    public async Task StartAsync_EarlyLoadOfTheSameFolder_IsTheKnowledgeBaseServed()
    {
        var early = EarlyContentLoad.Start(_folder.FullName);
        await early.Loading;
        using var service = CreateService(_folder.FullName, watch: false, early);
        _folder.Delete(recursive: true);

        await StartAsync(service);

        Assert.NotNull(service.Current.FindById("closures"));
        _folder.Create();
    }

    /// <summary>Configuration changed after the early load began: the folder the options name is loaded instead.</summary>
    [Fact]
    public async Task StartAsync_EarlyLoadOfAnotherFolder_LoadsTheConfiguredOne()
    {
        var early = EarlyContentLoad.Start(RepoPaths.Fixture(Path.Combine("broken", "missing-summary")));
        using var service = CreateService(_folder.FullName, watch: false, early);

        await StartAsync(service);

        Assert.NotNull(service.Current.FindById("closures"));
    }

    /// <summary>While the other services start, a request that needs the course waits for it rather than failing.</summary>
    [Fact]
    public async Task Current_AskedBeforeTheFirstLoadEnds_WaitsForIt()
    {
        using var service = CreateService(_folder.FullName, watch: false);
        await service.StartAsync(CancellationToken.None);

        var early = service.Current;

        await service.StartedAsync(CancellationToken.None);
        Assert.Same(service.Current, early);
        Assert.NotNull(early.FindById("closures"));
    }

    /// <summary>What the host calls, in its order.</summary>
    private static async Task StartAsync(ContentService service)
    {
        await service.StartingAsync(CancellationToken.None);
        await service.StartAsync(CancellationToken.None);
        await service.StartedAsync(CancellationToken.None);
    }

    private ContentService CreateService(string path, bool watch, EarlyContentLoad? early = null) => new(
        Options.Create(new ContentOptions { Path = path, Watch = watch, ReloadDelay = TimeSpan.FromMilliseconds(50) }),
        TimeProvider.System,
        _logger,
        early);

    private static Task NextReload(ContentService service, Func<KnowledgeBaseLoadResult, bool> wanted)
    {
        var completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        service.Reloaded += result =>
        {
            if (wanted(result))
            {
                completion.TrySetResult();
            }
        };
        return completion.Task;
    }

    private async Task EditAsync(string file, string find, string replace)
    {
        var path = Path.Combine(_folder.FullName, "python", file);
        var text = await File.ReadAllTextAsync(path);
        Assert.Contains(find, text, StringComparison.Ordinal);
        await File.WriteAllTextAsync(path, text.Replace(find, replace, StringComparison.Ordinal));
    }
}
