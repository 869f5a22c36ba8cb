using Microsoft.Extensions.Hosting;

namespace Bot.Host.Storage;

/// <summary>Creates or upgrades the database before anything else uses it; a failure stops the start.</summary>
internal sealed class StorageService(IStorageDatabase database) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => database.EnsureSchemaAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
