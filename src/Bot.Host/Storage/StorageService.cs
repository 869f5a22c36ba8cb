using Microsoft.Extensions.Hosting;

namespace Bot.Host.Storage;

/// <summary>Creates or upgrades the database before anything else uses it; a failure stops the start.</summary>
internal sealed class StorageService(SqliteStore store) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        int version;
        try
        {
            await store.MigrateAsync(cancellationToken);
            version = await store.SchemaVersionAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is Microsoft.Data.Sqlite.SqliteException or IOException or UnauthorizedAccessException)
        {
            throw new StorageUnavailableException($"cannot open the database {store.DatabasePath}: {exception.Message}", exception);
        }

        if (version > SqliteStore.LatestVersion)
        {
            throw new StorageUnavailableException(
                $"the database {store.DatabasePath} has schema version {version}, newer than this bot's {SqliteStore.LatestVersion}; run the newer bot, or point Storage:Path at another file");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

internal sealed class StorageUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
