using Bot.Host.Storage;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Bot.Host.Tests.Storage;

/// <summary>What only the PostgreSQL provider has: retries of transient failures, which the run's server makes happen.</summary>
[Collection(PostgresServer.Collection)]
public sealed class PostgresDatabaseTests(PostgresServer server)
{
    /// <summary>A failover or a restart, as the pool sees it: every connection it holds is cut by the server.</summary>
    [Fact]
    public async Task Store_ConnectionsCutByTheServer_TheNextCallIsRetriedOnAFreshOneAndLogged()
    {
        await using var storage = await TempPostgresDatabase.CreateAsync(server);
        using var logs = new ListLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(builder => builder.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        await using var database = new PostgresDatabase(storage.ConnectionString, loggerFactory);
        var quizzes = new PostgresQuizStore(database);
        var instance = await quizzes.CreateInstanceAsync(StorageContractTests.Practice(), CancellationToken.None);

        Assert.True(await TerminateOtherConnectionsAsync(storage.ConnectionString) > 0);
        var found = await quizzes.FindInstanceAsync(instance.Id, CancellationToken.None);

        Assert.Equal(instance, found);
        var retry = Assert.Single(logs.Entries, entry => entry.Category == typeof(PostgresDatabase).FullName && entry.Level == LogLevel.Warning);
        Assert.StartsWith($"{database.Description} failed transiently (57P01); retry 1 in ", retry.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(logs.Entries, entry => (entry.Message + entry.Values + entry.Exception).Contains(server.Password, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Store_FailureThatIsNotTransient_IsNotRetried()
    {
        await using var storage = await TempPostgresDatabase.CreateAsync(server, version: 1);
        using var logs = new ListLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(builder => builder.AddProvider(logs));
        await using var database = new PostgresDatabase(storage.ConnectionString, loggerFactory);

        var missingTable = await Assert.ThrowsAsync<PostgresException>(() => new PostgresDailyPostStore(database).HasSlotAsync("t", DateTimeOffset.UnixEpoch, CancellationToken.None));

        Assert.Equal(PostgresErrorCodes.UndefinedTable, missingTable.SqlState);
        Assert.DoesNotContain(logs.Entries, entry => entry.Level == LogLevel.Warning);
    }

    private static async Task<int> TerminateOtherConnectionsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT COUNT(pg_terminate_backend(pid))::integer FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid();", connection);
        return (int)(await command.ExecuteScalarAsync())!;
    }
}

/// <summary>Connection strings, read without a server: described without the password, refused without quoting it.</summary>
public sealed class PostgresConnectionStringTests
{
    [Theory]
    [InlineData("Host=db.internal;Port=6432;Database=tutor;Username=bot;Password=s3cret", "the PostgreSQL database tutor on db.internal:6432")]
    [InlineData("Host=db;Username=bot;Password=s3cret", "the PostgreSQL database bot on db:5432")]
    public async Task Description_NamesDatabaseHostAndPortButNeverThePassword(string connectionString, string description)
    {
        await using var database = new PostgresDatabase(connectionString);

        Assert.Equal(description, database.Description);
    }

    [Theory]
    [InlineData("postgres://bot:s3cret@db/bot")]
    [InlineData("Hots=db;Password=s3cret")]
    [InlineData("Database=bot;Password=s3cret")]
    public void Parse_NotAConnectionString_SaysHowToWriteOneWithoutQuotingIt(string connectionString)
    {
        var refused = Assert.Throws<ArgumentException>(() => PostgresDatabase.Parse(connectionString));

        Assert.Contains("write it as Host=...;Database=...;Username=...;Password=...", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", refused.Message, StringComparison.Ordinal);
    }
}
