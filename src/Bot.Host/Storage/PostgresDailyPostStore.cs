using Bot.Host.Daily;
using Npgsql;
using NpgsqlTypes;
using static Bot.Host.Storage.StorageRows;

namespace Bot.Host.Storage;

/// <summary>
/// The daily posts' claims, leases and progress in the <see cref="PostgresDatabase"/>. A claim is one insert that
/// does nothing on a conflict with the (target, slot) primary key, so of any number of replicas exactly one
/// creates the row; a lease is taken by one conditional update, which PostgreSQL re-checks against the row as the
/// previous taker left it, so two replicas never both take it.
/// </summary>
internal sealed class PostgresDailyPostStore(PostgresDatabase database) : IDailyPostStore
{
    public Task<IReadOnlyList<string>> PostedQuestionIdsAsync(string target, CancellationToken cancellationToken) =>
        database.RunAsync<IReadOnlyList<string>>(async (connection, token) =>
        {
            await using var command = new NpgsqlCommand("SELECT question_id FROM daily_posts WHERE target = @target ORDER BY slot;", connection);
            command.Parameters.AddWithValue("target", target);
            var ids = new List<string>();
            await using var reader = await command.ExecuteReaderAsync(token);
            while (await reader.ReadAsync(token))
            {
                ids.Add(reader.GetString(0));
            }

            return ids;
        }, cancellationToken);

    public Task<bool> HasSlotAsync(string target, DateTimeOffset slot, CancellationToken cancellationToken) => database.RunAsync(async (connection, token) =>
    {
        await using var command = new NpgsqlCommand("SELECT 1 FROM daily_posts WHERE target = @target AND slot = @slot;", connection);
        command.Parameters.AddWithValue("target", target);
        command.Parameters.AddWithValue("slot", Millis(slot));
        return await command.ExecuteScalarAsync(token) is not null;
    }, cancellationToken);

    /// <remarks>
    /// Should the commit's answer be lost and the insert run again, the second run finds the row and says false; the
    /// row names this owner, so <see cref="DuePostsAsync"/> still hands the post to it.
    /// </remarks>
    public Task<bool> TryClaimSlotAsync(DailyClaim claim, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        return database.RunAsync(async (connection, token) =>
        {
            await using var command = new NpgsqlCommand("""
                INSERT INTO daily_posts (target, slot, question_id, state, owner, lease_until, next_attempt_at, reveal_at)
                VALUES (@target, @slot, @question, 'Claimed', @owner, @lease, @now, @reveal)
                ON CONFLICT (target, slot) DO NOTHING;
                """, connection);
            command.Parameters.AddWithValue("target", claim.Target);
            command.Parameters.AddWithValue("slot", Millis(claim.Slot));
            command.Parameters.AddWithValue("question", claim.QuestionId);
            command.Parameters.AddWithValue("owner", claim.Owner);
            command.Parameters.AddWithValue("lease", Millis(claim.LeaseUntil));
            command.Parameters.AddWithValue("now", Millis(claim.ClaimedAt));
            command.Parameters.AddWithValue("reveal", Millis(claim.RevealAt));
            return await command.ExecuteNonQueryAsync(token) == 1;
        }, cancellationToken);
    }

    public Task<IReadOnlyList<DailyPost>> DuePostsAsync(string owner, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.RunAsync(async (connection, token) =>
        {
            await using var command = new NpgsqlCommand($"""
                SELECT {PostColumns}
                FROM daily_posts
                WHERE (state = 'Claimed' AND next_attempt_at <= @now AND (owner = @owner OR lease_until < @now))
                   OR (state = 'Posted' AND reveal_at <= @now AND next_attempt_at <= @now AND (owner = @owner OR lease_until < @now))
                ORDER BY slot;
                """, connection);
            command.Parameters.AddWithValue("owner", owner);
            command.Parameters.AddWithValue("now", Millis(now));
            return await ReadPostsAsync(command, token);
        }, cancellationToken);

    public Task<DateTimeOffset?> NextWorkAtAsync(CancellationToken cancellationToken) => database.RunAsync(async (connection, token) =>
    {
        await using var command = new NpgsqlCommand("""
            SELECT MIN(CASE WHEN state = 'Claimed' THEN next_attempt_at ELSE GREATEST(reveal_at, next_attempt_at) END)
            FROM daily_posts WHERE state IN ('Claimed', 'Posted');
            """, connection);
        return await command.ExecuteScalarAsync(token) is long millis ? Time(millis) : (DateTimeOffset?)null;
    }, cancellationToken);

    public Task<bool> TryTakeAsync(DailyPost post, string owner, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(post);
        return database.RunAsync(async (connection, token) =>
        {
            await using var command = new NpgsqlCommand("""
                UPDATE daily_posts SET owner = @owner, lease_until = @lease
                WHERE target = @target AND slot = @slot AND state = @state AND (owner = @owner OR lease_until < @now);
                """, connection);
            command.Parameters.AddWithValue("owner", owner);
            command.Parameters.AddWithValue("lease", Millis(leaseUntil));
            command.Parameters.AddWithValue("target", post.Target);
            command.Parameters.AddWithValue("slot", Millis(post.Slot));
            command.Parameters.AddWithValue("state", post.State.ToString());
            command.Parameters.AddWithValue("now", Millis(now));
            return await command.ExecuteNonQueryAsync(token) == 1;
        }, cancellationToken);
    }

    public Task SetInstanceAsync(DailyPost post, long instanceId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(post);
        return database.RunAsync(async (connection, token) =>
        {
            await using var command = new NpgsqlCommand("UPDATE daily_posts SET instance_id = @instance WHERE target = @target AND slot = @slot;", connection);
            command.Parameters.AddWithValue("instance", instanceId);
            command.Parameters.AddWithValue("target", post.Target);
            command.Parameters.AddWithValue("slot", Millis(post.Slot));
            await command.ExecuteNonQueryAsync(token);
        }, cancellationToken);
    }

    public Task AdvanceAsync(DailyPost post, DailyPostState state, string? messageId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(post);
        return database.RunAsync(async (connection, token) =>
        {
            await using var command = new NpgsqlCommand("""
                UPDATE daily_posts SET state = @state, message_id = COALESCE(@message, message_id), attempts = 0, last_error = NULL, next_attempt_at = @now
                WHERE target = @target AND slot = @slot;
                """, connection);
            command.Parameters.AddWithValue("state", state.ToString());
            command.Parameters.AddWithValue("message", NpgsqlDbType.Text, (object?)messageId ?? DBNull.Value);
            command.Parameters.AddWithValue("now", Millis(now));
            command.Parameters.AddWithValue("target", post.Target);
            command.Parameters.AddWithValue("slot", Millis(post.Slot));
            await command.ExecuteNonQueryAsync(token);
        }, cancellationToken);
    }

    public Task RecordFailureAsync(DailyPost post, int attempts, DateTimeOffset nextAttemptAt, string error, bool abandon, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(post);
        return database.RunAsync(async (connection, token) =>
        {
            await using var command = new NpgsqlCommand("""
                UPDATE daily_posts SET attempts = @attempts, next_attempt_at = @next, last_error = @error,
                    state = CASE WHEN @abandon THEN 'Abandoned' ELSE state END
                WHERE target = @target AND slot = @slot;
                """, connection);
            command.Parameters.AddWithValue("attempts", attempts);
            command.Parameters.AddWithValue("next", Millis(nextAttemptAt));
            command.Parameters.AddWithValue("error", error);
            command.Parameters.AddWithValue("abandon", abandon);
            command.Parameters.AddWithValue("target", post.Target);
            command.Parameters.AddWithValue("slot", Millis(post.Slot));
            await command.ExecuteNonQueryAsync(token);
        }, cancellationToken);
    }

    public Task<IReadOnlyList<DailyPost>> PostsAsync(string target, CancellationToken cancellationToken) => database.RunAsync(async (connection, token) =>
    {
        await using var command = new NpgsqlCommand($"SELECT {PostColumns} FROM daily_posts WHERE target = @target ORDER BY slot;", connection);
        command.Parameters.AddWithValue("target", target);
        return await ReadPostsAsync(command, token);
    }, cancellationToken);

    private static async Task<IReadOnlyList<DailyPost>> ReadPostsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        return await ReadAllAsync(command, ReadPost, cancellationToken);
    }
}
