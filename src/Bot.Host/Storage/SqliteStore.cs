using System.Globalization;
using Bot.Core;
using Bot.Core.Quiz;
using Bot.Host.Daily;
using Microsoft.Data.Sqlite;

namespace Bot.Host.Storage;

/// <summary>
/// Quiz state and daily-post claims in one SQLite file (WAL, so readers never wait for a writer).
/// Every method opens a pooled connection of its own, so any number of callers, and processes,
/// can use the same file at once; writes that read first run in IMMEDIATE transactions.
/// Times are stored as Unix milliseconds (UTC).
/// </summary>
internal sealed class SqliteStore : IQuizStore, IDailyPostStore
{
    private readonly string _connectionString;

    public SqliteStore(string path)
    {
        DatabasePath = Path.GetFullPath(path);
        _connectionString = ConnectionString(DatabasePath, SqliteOpenMode.ReadWriteCreate);
    }

    /// <summary>How every part of the bot opens the database: pooled, waiting up to 30 s for a lock.</summary>
    public static string ConnectionString(string fullPath, SqliteOpenMode mode) => new SqliteConnectionStringBuilder
    {
        DataSource = fullPath,
        Mode = mode,
        Pooling = true,
        DefaultTimeout = 30,
    }.ToString();

    public string DatabasePath { get; }

    public static int LatestVersion => Migrations.Steps.Count;

    /// <summary>Creates the file if needed and brings its schema to <see cref="LatestVersion"/>.</summary>
    public async Task MigrateAsync(CancellationToken cancellationToken, int? upToVersion = null)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(DatabasePath)!);
        await using var connection = await OpenAsync(cancellationToken);
        await ExecuteAsync(connection, "PRAGMA journal_mode = WAL;", cancellationToken);
        var target = upToVersion ?? LatestVersion;
        for (var step = 1; step <= target; step++)
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            var version = Convert.ToInt32(await ScalarAsync(connection, "PRAGMA user_version;", cancellationToken), CultureInfo.InvariantCulture);
            if (version >= step)
            {
                continue;
            }

            await ExecuteAsync(connection, Migrations.Steps[step - 1], cancellationToken);
            await ExecuteAsync(connection, $"PRAGMA user_version = {step};", cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
    }

    /// <summary>
    /// For <c>bot doctor</c>: the schema version of the database after proving it can be written (a table created
    /// and rolled back), changing nothing. Null when the file does not exist yet; its folder is then shown to be
    /// writable instead, so that the first start can create it.
    /// </summary>
    public async Task<int?> ProbeAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(DatabasePath))
        {
            ProbeFolder(Path.GetDirectoryName(DatabasePath)!);
            return null;
        }

        await using var connection = new SqliteConnection(ConnectionString(DatabasePath, SqliteOpenMode.ReadWrite));
        await connection.OpenAsync(cancellationToken);
        var version = Convert.ToInt32(await ScalarAsync(connection, "PRAGMA user_version;", cancellationToken), CultureInfo.InvariantCulture);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, "CREATE TABLE doctor_write_probe (x INTEGER);", cancellationToken);
        await transaction.RollbackAsync(cancellationToken);
        return version;
    }

    // The nearest folder that exists must take a new file: the bot creates the rest of the path and the database.
    private static void ProbeFolder(string folder)
    {
        while (!Directory.Exists(folder))
        {
            folder = Path.GetDirectoryName(folder) ?? throw new IOException($"no folder of {folder} exists");
        }

        try
        {
            using var probe = new FileStream(Path.Combine(folder, $".bot-doctor-{Guid.NewGuid():N}"), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"no new file can be made in {folder}, the nearest folder of it that exists ({exception.Message})", exception);
        }
    }

    public async Task<int> SchemaVersionAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return Convert.ToInt32(await ScalarAsync(connection, "PRAGMA user_version;", cancellationToken), CultureInfo.InvariantCulture);
    }

    public async Task<QuizInstance> CreateInstanceAsync(NewQuizInstance instance, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO quiz_instances (kind, question_id, concept_id, correct_index, choice_count, platform, workspace, channel, owner, topic, created_at, reveal_at)
            VALUES ($kind, $question, $concept, $correct, $choices, $platform, $workspace, $channel, $owner, $topic, $created, $reveal)
            RETURNING id;
            """;
        command.Parameters.AddWithValue("$kind", instance.Kind.ToString());
        command.Parameters.AddWithValue("$question", instance.Question.Id);
        command.Parameters.AddWithValue("$concept", instance.Question.ConceptId);
        command.Parameters.AddWithValue("$correct", instance.Question.CorrectIndex);
        command.Parameters.AddWithValue("$choices", instance.Question.Choices.Count);
        command.Parameters.AddWithValue("$platform", instance.Platform.ToString());
        command.Parameters.AddWithValue("$workspace", instance.Workspace);
        command.Parameters.AddWithValue("$channel", instance.Channel);
        command.Parameters.AddWithValue("$owner", (object?)instance.Owner ?? DBNull.Value);
        command.Parameters.AddWithValue("$topic", (object?)instance.Topic ?? DBNull.Value);
        command.Parameters.AddWithValue("$created", Millis(instance.CreatedAt));
        command.Parameters.AddWithValue("$reveal", instance.RevealAt is { } reveal ? Millis(reveal) : DBNull.Value);
        var id = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        return new QuizInstance(id, instance.Kind, instance.Question.Id, instance.Question.ConceptId, instance.Question.CorrectIndex,
            instance.Question.Choices.Count, instance.Platform, instance.Workspace, instance.Channel, instance.Owner, instance.Topic,
            instance.CreatedAt, instance.RevealAt);
    }

    public async Task<QuizInstance?> FindInstanceAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT id, kind, question_id, concept_id, correct_index, choice_count, platform, workspace, channel, owner, topic, created_at, reveal_at
            FROM quiz_instances WHERE id = $id;
            """;
        command.Parameters.AddWithValue("$id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new QuizInstance(
            reader.GetInt64(0),
            Enum.Parse<QuizInstanceKind>(reader.GetString(1)),
            reader.GetString(2),
            reader.GetString(3),
            reader.GetInt32(4),
            reader.GetInt32(5),
            Enum.Parse<Platform>(reader.GetString(6)),
            reader.GetString(7),
            reader.GetString(8),
            reader.IsDBNull(9) ? null : reader.GetString(9),
            reader.IsDBNull(10) ? null : reader.GetString(10),
            Time(reader.GetInt64(11)),
            reader.IsDBNull(12) ? null : Time(reader.GetInt64(12)));
    }

    public async Task<AnswerRecord> RecordAnswerAsync(QuizInstance instance, Learner learner, string displayName, int choice, DateTimeOffset answeredAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(learner);
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);

        await using (var name = connection.CreateCommand())
        {
            name.CommandText = """
                INSERT INTO learners (platform, workspace, user_id, display_name) VALUES ($platform, $workspace, $user, $name)
                ON CONFLICT (platform, workspace, user_id) DO UPDATE SET display_name = excluded.display_name;
                """;
            AddLearner(name, learner);
            name.Parameters.AddWithValue("$name", displayName);
            await name.ExecuteNonQueryAsync(cancellationToken);
        }

        var correct = choice == instance.CorrectIndex;
        await using (var insert = connection.CreateCommand())
        {
            insert.CommandText = """
                INSERT INTO answers (instance_id, platform, workspace, user_id, question_id, concept_id, choice, correct, answered_at, answered_day)
                VALUES ($instance, $platform, $workspace, $user, $question, $concept, $choice, $correct, $at, $day)
                ON CONFLICT DO NOTHING;
                """;
            insert.Parameters.AddWithValue("$instance", instance.Id);
            AddLearner(insert, learner);
            insert.Parameters.AddWithValue("$question", instance.QuestionId);
            insert.Parameters.AddWithValue("$concept", instance.ConceptId);
            insert.Parameters.AddWithValue("$choice", choice);
            insert.Parameters.AddWithValue("$correct", correct);
            insert.Parameters.AddWithValue("$at", Millis(answeredAt));
            insert.Parameters.AddWithValue("$day", answeredAt.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            if (await insert.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                var first = await FirstAnswerAsync(connection, instance.Id, learner, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return first;
            }
        }

        var card = (await ReadCardsAsync(connection, learner, instance.QuestionId, cancellationToken)).SingleOrDefault();
        var next = SpacedRepetition.Next(card, instance.QuestionId, instance.ConceptId, correct, answeredAt);
        await using (var upsert = connection.CreateCommand())
        {
            upsert.CommandText = """
                INSERT INTO review_cards (platform, workspace, user_id, question_id, concept_id, repetitions, interval_days, ease, lapses, last_answered_at, due_at)
                VALUES ($platform, $workspace, $user, $question, $concept, $repetitions, $interval, $ease, $lapses, $last, $due)
                ON CONFLICT (platform, workspace, user_id, question_id) DO UPDATE SET
                    concept_id = excluded.concept_id, repetitions = excluded.repetitions, interval_days = excluded.interval_days,
                    ease = excluded.ease, lapses = excluded.lapses, last_answered_at = excluded.last_answered_at, due_at = excluded.due_at;
                """;
            AddLearner(upsert, learner);
            upsert.Parameters.AddWithValue("$question", next.QuestionId);
            upsert.Parameters.AddWithValue("$concept", next.ConceptId);
            upsert.Parameters.AddWithValue("$repetitions", next.Repetitions);
            upsert.Parameters.AddWithValue("$interval", next.IntervalDays);
            upsert.Parameters.AddWithValue("$ease", next.Ease);
            upsert.Parameters.AddWithValue("$lapses", next.Lapses);
            upsert.Parameters.AddWithValue("$last", Millis(next.LastAnsweredAt));
            upsert.Parameters.AddWithValue("$due", Millis(next.DueAt));
            await upsert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return new AnswerRecord(choice, correct, answeredAt, IsNew: true);
    }

    public async Task<IReadOnlyList<ReviewCard>> GetReviewCardsAsync(Learner learner, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await ReadCardsAsync(connection, learner, questionId: null, cancellationToken);
    }

    public async Task<LearnerHistory> GetHistoryAsync(Learner learner, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: true);
        var concepts = new List<ConceptScore>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = """
                SELECT concept_id, COUNT(*), SUM(correct) FROM answers
                WHERE platform = $platform AND workspace = $workspace AND user_id = $user
                GROUP BY concept_id;
                """;
            AddLearner(command, learner);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                concepts.Add(new ConceptScore(reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2)));
            }
        }

        var days = new List<DateOnly>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = """
                SELECT DISTINCT answered_day FROM answers
                WHERE platform = $platform AND workspace = $workspace AND user_id = $user
                ORDER BY answered_day DESC;
                """;
            AddLearner(command, learner);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                days.Add(DateOnly.ParseExact(reader.GetString(0), "yyyy-MM-dd", CultureInfo.InvariantCulture));
            }
        }

        var cards = await ReadCardsAsync(connection, learner, questionId: null, cancellationToken);
        return new LearnerHistory(concepts.Sum(score => score.Answered), concepts.Sum(score => score.Correct), concepts, days, cards);
    }

    public async Task<IReadOnlyList<LeaderboardEntry>> GetLeaderboardAsync(Platform platform, string workspace, DateTimeOffset? since, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT l.display_name, COUNT(*) AS answered, SUM(a.correct) AS correct
            FROM answers a JOIN learners l USING (platform, workspace, user_id)
            WHERE a.platform = $platform AND a.workspace = $workspace AND a.answered_at >= $since
            GROUP BY a.user_id
            ORDER BY correct DESC, answered ASC, MIN(a.answered_at) ASC
            LIMIT $limit;
            """;
        command.Parameters.AddWithValue("$platform", platform.ToString());
        command.Parameters.AddWithValue("$workspace", workspace);
        command.Parameters.AddWithValue("$since", since is { } start ? Millis(start) : long.MinValue);
        command.Parameters.AddWithValue("$limit", limit);
        var entries = new List<LeaderboardEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new LeaderboardEntry(reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2)));
        }

        return entries;
    }

    public async Task<AnswerTally> GetTallyAsync(QuizInstance instance, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT choice, COUNT(*) FROM answers WHERE instance_id = $instance GROUP BY choice;";
        command.Parameters.AddWithValue("$instance", instance.Id);
        var perChoice = new int[instance.ChoiceCount];
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var choice = reader.GetInt32(0);
            if (choice >= 0 && choice < perChoice.Length)
            {
                perChoice[choice] = reader.GetInt32(1);
            }
        }

        return new AnswerTally(perChoice.Sum(), perChoice[instance.CorrectIndex], perChoice);
    }

    // ---- daily posts ----

    public async Task<IReadOnlyList<string>> PostedQuestionIdsAsync(string target, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
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
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT 1 FROM daily_posts WHERE target = $target AND slot = $slot;";
        command.Parameters.AddWithValue("$target", target);
        command.Parameters.AddWithValue("$slot", Millis(slot));
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    public async Task<bool> TryClaimSlotAsync(DailyClaim claim, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        await using var connection = await OpenAsync(cancellationToken);
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
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT target, slot, question_id, instance_id, state, owner, lease_until, attempts, next_attempt_at, message_id, reveal_at
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
        await using var connection = await OpenAsync(cancellationToken);
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
        await using var connection = await OpenAsync(cancellationToken);
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
        await using var connection = await OpenAsync(cancellationToken);
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
        await using var connection = await OpenAsync(cancellationToken);
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
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT target, slot, question_id, instance_id, state, owner, lease_until, attempts, next_attempt_at, message_id, reveal_at
            FROM daily_posts WHERE target = $target ORDER BY slot;
            """;
        command.Parameters.AddWithValue("$target", target);
        return await ReadPostsAsync(command, cancellationToken);
    }

    private async Task UpdatePostAsync(DailyPost post, string assignment, long value, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"UPDATE daily_posts SET {assignment} WHERE target = $target AND slot = $slot;";
        command.Parameters.AddWithValue("$value", value);
        command.Parameters.AddWithValue("$target", post.Target);
        command.Parameters.AddWithValue("$slot", Millis(post.Slot));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<IReadOnlyList<DailyPost>> ReadPostsAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var posts = new List<DailyPost>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            posts.Add(new DailyPost(
                reader.GetString(0),
                Time(reader.GetInt64(1)),
                reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetInt64(3),
                Enum.Parse<DailyPostState>(reader.GetString(4)),
                reader.GetString(5),
                Time(reader.GetInt64(6)),
                reader.GetInt32(7),
                Time(reader.GetInt64(8)),
                reader.IsDBNull(9) ? null : reader.GetString(9),
                Time(reader.GetInt64(10))));
        }

        return posts;
    }

    private static async Task<AnswerRecord> FirstAnswerAsync(SqliteConnection connection, long instanceId, Learner learner, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT choice, correct, answered_at FROM answers
            WHERE instance_id = $instance AND platform = $platform AND workspace = $workspace AND user_id = $user;
            """;
        command.Parameters.AddWithValue("$instance", instanceId);
        AddLearner(command, learner);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new AnswerRecord(reader.GetInt32(0), reader.GetBoolean(1), Time(reader.GetInt64(2)), IsNew: false);
    }

    private static async Task<List<ReviewCard>> ReadCardsAsync(SqliteConnection connection, Learner learner, string? questionId, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT question_id, concept_id, repetitions, interval_days, ease, lapses, last_answered_at, due_at FROM review_cards
            WHERE platform = $platform AND workspace = $workspace AND user_id = $user AND ($question IS NULL OR question_id = $question);
            """;
        AddLearner(command, learner);
        command.Parameters.AddWithValue("$question", (object?)questionId ?? DBNull.Value);
        var cards = new List<ReviewCard>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            cards.Add(new ReviewCard(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetDouble(3), reader.GetDouble(4),
                reader.GetInt32(5), Time(reader.GetInt64(6)), Time(reader.GetInt64(7))));
        }

        return cards;
    }

    private static void AddLearner(SqliteCommand command, Learner learner)
    {
        command.Parameters.AddWithValue("$platform", learner.Platform.ToString());
        command.Parameters.AddWithValue("$workspace", learner.Workspace);
        command.Parameters.AddWithValue("$user", learner.User);
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<object?> ScalarAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    private static long Millis(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    private static DateTimeOffset Time(long millis) => DateTimeOffset.FromUnixTimeMilliseconds(millis);
}
