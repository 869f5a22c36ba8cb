namespace Bot.Host.Storage;

/// <summary>The database every store of the bot shares, whichever provider holds it: its schema and its state.</summary>
internal interface IStorageDatabase
{
    /// <summary>The schema version this bot writes: the number of steps in <see cref="Migrations"/>.</summary>
    static int LatestVersion => Migrations.Steps.Count;

    /// <summary>What to call the database in a message: a file path, or a PostgreSQL database and host (never a password).</summary>
    string Description { get; }

    /// <summary>Creates what is missing and applies the steps up to <paramref name="upToVersion"/> (default: all).</summary>
    Task MigrateAsync(CancellationToken cancellationToken, int? upToVersion = null);

    Task<int> SchemaVersionAsync(CancellationToken cancellationToken);

    /// <summary>
    /// At start, before anything else uses the database: creates or upgrades it, and refuses one whose schema is
    /// newer than this bot's, which it would misread. Failures are <see cref="StorageUnavailableException"/>.
    /// </summary>
    Task EnsureSchemaAsync(CancellationToken cancellationToken);
}
