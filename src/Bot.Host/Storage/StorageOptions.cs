namespace Bot.Host.Storage;

/// <summary>The <c>Storage</c> section of the configuration.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>The SQLite database file; relative paths are relative to the working directory. Its folder is created.</summary>
    public string Path { get; set; } = "data/bot.db";
}
