namespace Bot.Host.Storage;

public enum StorageProvider
{
    /// <summary>One SQLite file (<see cref="StorageOptions.Path"/>): the embedded default.</summary>
    Sqlite,

    /// <summary>A PostgreSQL database (<c>ConnectionStrings:Postgres</c>), which several replicas can share.</summary>
    Postgres,
}

/// <summary>The <c>Storage</c> section of the configuration, and the PostgreSQL connection string beside it.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>The configuration key of the PostgreSQL connection string; a secret, like the platform tokens.</summary>
    public const string PostgresConnectionStringKey = "ConnectionStrings:Postgres";

    public static IReadOnlyList<string> SecretKeys { get; } = [PostgresConnectionStringKey];

    /// <summary><c>Sqlite</c> (the default) or <c>Postgres</c>, in any letter case; see <see cref="Kind"/>.</summary>
    public string Provider { get; set; } = nameof(StorageProvider.Sqlite);

    /// <summary>The SQLite database file; relative paths are relative to the working directory. Its folder is created.</summary>
    public string Path { get; set; } = "data/bot.db";

    /// <summary>
    /// From <c>ConnectionStrings:Postgres</c>, not from this section (the setter is not public, so the binder leaves
    /// it alone): read when <see cref="Provider"/> is <c>Postgres</c>.
    /// </summary>
    public string? PostgresConnectionString { get; internal set; }

    /// <summary>The provider <see cref="Provider"/> names, or null when it names none (which validation refuses).</summary>
    public StorageProvider? Kind => Provider?.Trim().ToUpperInvariant() switch
    {
        "SQLITE" => StorageProvider.Sqlite,
        "POSTGRES" => StorageProvider.Postgres,
        _ => null,
    };
}
