using Bot.Host.Daily;
using Microsoft.Data.Sqlite;
using static Bot.Host.Storage.StorageRows;

namespace Bot.Host.Storage;

/// <summary>The daily posts' claims, leases and progress in the <see cref="SqliteDatabase"/>; every method opens a connection of its own.</summary>
internal sealed class SqliteDailyPostStore(SqliteDatabase database) : IDailyPostStore
{
    public async Task<IReadOnlyList<string>> PostedQuestionIdsAsync(string target, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT question_id FROM daily_posts WHERE target = $target ORDER BY slot;";
        command.Parameters.AddWithValue("$target", target);
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    public async Task<bool> HasSlotAsync(string target, DateTimeOffset slot, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT 1 FROM daily_posts WHERE target = $target AND slot = $slot;";
        command.Parameters.AddWithValue("$target", target);
        command.Parameters.AddWithValue("$slot", Millis(slot));
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    public async Task<bool> TryClaimSlotAsync(DailyClaim claim, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO daily_posts (target, slot, question_id, state, owner, lease_until, next_attempt_at, reveal_at)
            VALUES ($target, $slot, $question, 'Claimed', $owner, $lease, $now, $reveal)
            ON CONFLICT (target, slot) DO NOTHING;
            """;
        command.Parameters.AddWithValue("$target", claim.Target);
        command.Parameters.AddWithValue("$slot", Millis(claim.Slot));
        command.Parameters.AddWithValue("$question", claim.QuestionId);
        command.Parameters.AddWithValue("$owner", claim.Owner);
        command.Parameters.AddWithValue("$lease", Millis(claim.LeaseUntil));
        command.Parameters.AddWithValue("$now", Millis(claim.ClaimedAt));
        command.Parameters.AddWithValue("$reveal", Millis(claim.RevealAt));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<IReadOnlyList<DailyPost>> DuePostsAsync(string owner, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {PostColumns}
            FROM daily_posts
            WHERE (state = 'Claimed' AND next_attempt_at <= $now AND (owner = $owner OR lease_until < $now))
               OR (state = 'Posted' AND reveal_at <= $now AND next_attempt_at <= $now AND (owner = $owner OR lease_until < $now))
            ORDER BY slot;
            """;
        command.Parameters.AddWithValue("$owner", owner);
        command.Parameters.AddWithValue("$now", Millis(now));
        return await ReadPostsAsync(command, cancellationToken);
    }

    public async Task<DateTimeOffset?> NextWorkAtAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT MIN(CASE WHEN state = 'Claimed' THEN next_attempt_at ELSE MAX(reveal_at, next_attempt_at) END)
            FROM daily_posts WHERE state IN ('Claimed', 'Posted');
            """;
        return await command.ExecuteScalarAsync(cancellationToken) is long millis ? Time(millis) : null;
    }

    public async Task<bool> TryTakeAsync(DailyPost post, string owner, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(post);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE daily_posts SET owner = $owner, lease_until = $lease
            WHERE target = $target AND slot = $slot AND state = $state AND (owner = $owner OR lease_until < $now);
            """;
        command.Parameters.AddWithValue("$owner", owner);
        command.Parameters.AddWithValue("$lease", Millis(leaseUntil));
        command.Parameters.AddWithValue("$target", post.Target);
        command.Parameters.AddWithValue("$slot", Millis(post.Slot));
        command.Parameters.AddWithValue("$state", post.State.ToString());
        command.Parameters.AddWithValue("$now", Millis(now));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public Task SetInstanceAsync(DailyPost post, long instanceId, CancellationToken cancellationToken) =>
        UpdatePostAsync(post, "instance_id = $value", instanceId, cancellationToken);

    public async Task AdvanceAsync(DailyPost post, DailyPostState state, string? messageId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(post);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE daily_posts SET state = $state, message_id = COALESCE($message, message_id), attempts = 0, last_error = NULL, next_attempt_at = $now
            WHERE target = $target AND slot = $slot;
            """;
        command.Parameters.AddWithValue("$state", state.ToString());
        command.Parameters.AddWithValue("$message", (object?)messageId ?? DBNull.Value);
        command.Parameters.AddWithValue("$now", Millis(now));
        command.Parameters.AddWithValue("$target", post.Target);
        command.Parameters.AddWithValue("$slot", Millis(post.Slot));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task RecordFailureAsync(DailyPost post, int attempts, DateTimeOffset nextAttemptAt, string error, bool abandon, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(post);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE daily_posts SET attempts = $attempts, next_attempt_at = $next, last_error = $error,
                state = CASE WHEN $abandon THEN 'Abandoned' ELSE state END
            WHERE target = $target AND slot = $slot;
            """;
        command.Parameters.AddWithValue("$attempts", attempts);
        command.Parameters.AddWithValue("$next", Millis(nextAttemptAt));
        command.Parameters.AddWithValue("$error", error);
        command.Parameters.AddWithValue("$abandon", abandon);
        command.Parameters.AddWithValue("$target", post.Target);
        command.Parameters.AddWithValue("$slot", Millis(post.Slot));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<DailyPost>> PostsAsync(string target, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {PostColumns}
            FROM daily_posts WHERE target = $target ORDER BY slot;
            """;
        command.Parameters.AddWithValue("$target", target);
        return await ReadPostsAsync(command, cancellationToken);
    }

    private async Task UpdatePostAsync(DailyPost post, string assignment, long value, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"UPDATE daily_posts SET {assignment} WHERE target = $target AND slot = $slot;";
        command.Parameters.AddWithValue("$value", value);
        command.Parameters.AddWithValue("$target", post.Target);
        command.Parameters.AddWithValue("$slot", Millis(post.Slot));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<IReadOnlyList<DailyPost>> ReadPostsAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        return await ReadAllAsync(command, ReadPost, cancellationToken);
    }
}
