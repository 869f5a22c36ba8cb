using System.Data;
using Bot.Core;
using Bot.Core.Quiz;
using Npgsql;
using NpgsqlTypes;
using static Bot.Host.Storage.StorageRows;

namespace Bot.Host.Storage;

/// <summary>
/// Quiz instances, answers, learners and review cards in the <see cref="PostgresDatabase"/>. Every method is one unit
/// of work on a pooled connection, retried whole after a transient failure.
/// </summary>
internal sealed class PostgresQuizStore(PostgresDatabase database) : IQuizStore
{
    public Task<QuizInstance> CreateInstanceAsync(NewQuizInstance instance, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return database.RunAsync(async (connection, token) =>
        {
            await using var command = new NpgsqlCommand("""
                INSERT INTO quiz_instances (kind, question_id, concept_id, correct_index, choice_count, platform, workspace, channel, owner, topic, created_at, reveal_at)
                VALUES (@kind, @question, @concept, @correct, @choices, @platform, @workspace, @channel, @owner, @topic, @created, @reveal)
                RETURNING id;
                """, connection);
            command.Parameters.AddWithValue("kind", instance.Kind.ToString());
            command.Parameters.AddWithValue("question", instance.Question.Id);
            command.Parameters.AddWithValue("concept", instance.Question.ConceptId);
            command.Parameters.AddWithValue("correct", instance.Question.CorrectIndex);
            command.Parameters.AddWithValue("choices", instance.Question.Choices.Count);
            command.Parameters.AddWithValue("platform", instance.Platform.ToString());
            command.Parameters.AddWithValue("workspace", instance.Workspace);
            command.Parameters.AddWithValue("channel", instance.Channel);
            command.Parameters.AddWithValue("owner", NpgsqlDbType.Text, (object?)instance.Owner ?? DBNull.Value);
            command.Parameters.AddWithValue("topic", NpgsqlDbType.Text, (object?)instance.Topic ?? DBNull.Value);
            command.Parameters.AddWithValue("created", Millis(instance.CreatedAt));
            command.Parameters.AddWithValue("reveal", NpgsqlDbType.Bigint, instance.RevealAt is { } reveal ? Millis(reveal) : DBNull.Value);
            var id = (long)(await command.ExecuteScalarAsync(token))!;
            return new QuizInstance(id, instance.Kind, instance.Question.Id, instance.Question.ConceptId, instance.Question.CorrectIndex,
                instance.Question.Choices.Count, instance.Platform, instance.Workspace, instance.Channel, instance.Owner, instance.Topic,
                instance.CreatedAt, instance.RevealAt);
        }, cancellationToken);
    }

    public Task<QuizInstance?> FindInstanceAsync(long id, CancellationToken cancellationToken) => database.RunAsync(async (connection, token) =>
    {
        await using var command = new NpgsqlCommand($"""
            SELECT {InstanceColumns}
            FROM quiz_instances WHERE id = @id;
            """, connection);
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync(token);
        if (!await reader.ReadAsync(token))
        {
            return null;
        }

        return ReadInstance(reader);
    }, cancellationToken);

    /// <remarks>
    /// The first answer counts because the answer's primary key is (instance, learner) and the insert does nothing on
    /// a conflict: of two racing inserts the second waits for the first to commit and then inserts nothing. The
    /// learner's row is upserted first, which locks it until the commit, so one learner's answers take turns: the
    /// review card is read and rewritten by one of them at a time, and each sees the card the one before it wrote.
    /// </remarks>
    public Task<AnswerRecord> RecordAnswerAsync(QuizInstance instance, Learner learner, string displayName, int choice, DateTimeOffset answeredAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(learner);
        return database.RunAsync(async (connection, token) =>
        {
            await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, token);
            await using (var name = new NpgsqlCommand("""
                INSERT INTO learners (platform, workspace, user_id, display_name) VALUES (@platform, @workspace, @user, @name)
                ON CONFLICT (platform, workspace, user_id) DO UPDATE SET display_name = excluded.display_name;
                """, connection))
            {
                AddLearner(name, learner);
                name.Parameters.AddWithValue("name", displayName);
                await name.ExecuteNonQueryAsync(token);
            }

            var correct = choice == instance.CorrectIndex;
            await using (var insert = new NpgsqlCommand("""
                INSERT INTO answers (instance_id, platform, workspace, user_id, question_id, concept_id, choice, correct, answered_at, answered_day)
                VALUES (@instance, @platform, @workspace, @user, @question, @concept, @choice, @correct, @at, @day)
                ON CONFLICT DO NOTHING;
                """, connection))
            {
                insert.Parameters.AddWithValue("instance", instance.Id);
                AddLearner(insert, learner);
                insert.Parameters.AddWithValue("question", instance.QuestionId);
                insert.Parameters.AddWithValue("concept", instance.ConceptId);
                insert.Parameters.AddWithValue("choice", choice);
                insert.Parameters.AddWithValue("correct", correct);
                insert.Parameters.AddWithValue("at", Millis(answeredAt));
                insert.Parameters.AddWithValue("day", DateOnly.FromDateTime(answeredAt.UtcDateTime));
                if (await insert.ExecuteNonQueryAsync(token) == 0)
                {
                    var first = await FirstAnswerAsync(connection, instance.Id, learner, token);
                    await transaction.CommitAsync(token);
                    return first;
                }
            }

            var card = (await ReadCardsAsync(connection, learner, instance.QuestionId, token)).SingleOrDefault();
            var next = SpacedRepetition.Next(card, instance.QuestionId, instance.ConceptId, correct, answeredAt);
            await using (var upsert = new NpgsqlCommand("""
                INSERT INTO review_cards (platform, workspace, user_id, question_id, concept_id, repetitions, interval_days, ease, lapses, last_answered_at, due_at)
                VALUES (@platform, @workspace, @user, @question, @concept, @repetitions, @interval, @ease, @lapses, @last, @due)
                ON CONFLICT (platform, workspace, user_id, question_id) DO UPDATE SET
                    concept_id = excluded.concept_id, repetitions = excluded.repetitions, interval_days = excluded.interval_days,
                    ease = excluded.ease, lapses = excluded.lapses, last_answered_at = excluded.last_answered_at, due_at = excluded.due_at;
                """, connection))
            {
                AddLearner(upsert, learner);
                upsert.Parameters.AddWithValue("question", next.QuestionId);
                upsert.Parameters.AddWithValue("concept", next.ConceptId);
                upsert.Parameters.AddWithValue("repetitions", next.Repetitions);
                upsert.Parameters.AddWithValue("interval", next.IntervalDays);
                upsert.Parameters.AddWithValue("ease", next.Ease);
                upsert.Parameters.AddWithValue("lapses", next.Lapses);
                upsert.Parameters.AddWithValue("last", Millis(next.LastAnsweredAt));
                upsert.Parameters.AddWithValue("due", Millis(next.DueAt));
                await upsert.ExecuteNonQueryAsync(token);
            }

            await transaction.CommitAsync(token);
            return new AnswerRecord(choice, correct, answeredAt, IsNew: true);
        }, cancellationToken);
    }

    public Task<IReadOnlyList<ReviewCard>> GetReviewCardsAsync(Learner learner, CancellationToken cancellationToken) =>
        database.RunAsync<IReadOnlyList<ReviewCard>>(async (connection, token) => await ReadCardsAsync(connection, learner, questionId: null, token), cancellationToken);

    public Task<LearnerHistory> GetHistoryAsync(Learner learner, CancellationToken cancellationToken) => database.RunAsync(async (connection, token) =>
    {
        // One snapshot for the three reads, as SQLite's read transaction gives: the scores, days and cards agree.
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, token);
        var concepts = new List<ConceptScore>();
        await using (var command = new NpgsqlCommand("""
            SELECT concept_id, COUNT(*)::integer, COUNT(*) FILTER (WHERE correct)::integer FROM answers
            WHERE platform = @platform AND workspace = @workspace AND user_id = @user
            GROUP BY concept_id;
            """, connection))
        {
            AddLearner(command, learner);
            await using var reader = await command.ExecuteReaderAsync(token);
            while (await reader.ReadAsync(token))
            {
                concepts.Add(new ConceptScore(reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2)));
            }
        }

        var days = new List<DateOnly>();
        await using (var command = new NpgsqlCommand("""
            SELECT DISTINCT answered_day FROM answers
            WHERE platform = @platform AND workspace = @workspace AND user_id = @user
            ORDER BY answered_day DESC;
            """, connection))
        {
            AddLearner(command, learner);
            await using var reader = await command.ExecuteReaderAsync(token);
            while (await reader.ReadAsync(token))
            {
                days.Add(reader.GetFieldValue<DateOnly>(0));
            }
        }

        var cards = await ReadCardsAsync(connection, learner, questionId: null, token);
        await transaction.CommitAsync(token);
        return new LearnerHistory(concepts.Sum(score => score.Answered), concepts.Sum(score => score.Correct), concepts, days, cards);
    }, cancellationToken);

    public Task<IReadOnlyList<LeaderboardEntry>> GetLeaderboardAsync(Platform platform, string workspace, DateTimeOffset? since, int limit, CancellationToken cancellationToken) =>
        database.RunAsync<IReadOnlyList<LeaderboardEntry>>(async (connection, token) =>
        {
            await using var command = new NpgsqlCommand("""
                SELECT l.display_name, COUNT(*)::integer AS answered, COUNT(*) FILTER (WHERE a.correct)::integer AS correct
                FROM answers a JOIN learners l USING (platform, workspace, user_id)
                WHERE a.platform = @platform AND a.workspace = @workspace AND a.answered_at >= @since
                GROUP BY l.platform, l.workspace, l.user_id
                ORDER BY correct DESC, answered ASC, MIN(a.answered_at) ASC
                LIMIT @limit;
                """, connection);
            command.Parameters.AddWithValue("platform", platform.ToString());
            command.Parameters.AddWithValue("workspace", workspace);
            command.Parameters.AddWithValue("since", since is { } start ? Millis(start) : long.MinValue);
            command.Parameters.AddWithValue("limit", limit);
            var entries = new List<LeaderboardEntry>();
            await using var reader = await command.ExecuteReaderAsync(token);
            while (await reader.ReadAsync(token))
            {
                entries.Add(new LeaderboardEntry(reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2)));
            }

            return entries;
        }, cancellationToken);

    public Task<AnswerTally> GetTallyAsync(QuizInstance instance, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return database.RunAsync(async (connection, token) =>
        {
            await using var command = new NpgsqlCommand("SELECT choice, COUNT(*)::integer FROM answers WHERE instance_id = @instance GROUP BY choice;", connection);
            command.Parameters.AddWithValue("instance", instance.Id);
            var perChoice = new int[instance.ChoiceCount];
            await using var reader = await command.ExecuteReaderAsync(token);
            while (await reader.ReadAsync(token))
            {
                var choice = reader.GetInt32(0);
                if (choice >= 0 && choice < perChoice.Length)
                {
                    perChoice[choice] = reader.GetInt32(1);
                }
            }

            return new AnswerTally(perChoice.Sum(), perChoice[instance.CorrectIndex], perChoice);
        }, cancellationToken);
    }

    private static async Task<AnswerRecord> FirstAnswerAsync(NpgsqlConnection connection, long instanceId, Learner learner, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT choice, correct, answered_at FROM answers
            WHERE instance_id = @instance AND platform = @platform AND workspace = @workspace AND user_id = @user;
            """, connection);
        command.Parameters.AddWithValue("instance", instanceId);
        AddLearner(command, learner);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new AnswerRecord(reader.GetInt32(0), reader.GetBoolean(1), Time(reader.GetInt64(2)), IsNew: false);
    }

    private static async Task<List<ReviewCard>> ReadCardsAsync(NpgsqlConnection connection, Learner learner, string? questionId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"""
            SELECT {CardColumns} FROM review_cards
            WHERE platform = @platform AND workspace = @workspace AND user_id = @user AND (@question::text IS NULL OR question_id = @question);
            """, connection);
        AddLearner(command, learner);
        command.Parameters.AddWithValue("question", NpgsqlDbType.Text, (object?)questionId ?? DBNull.Value);
        return await ReadAllAsync(command, ReadCard, cancellationToken);
    }

    private static void AddLearner(NpgsqlCommand command, Learner learner)
    {
        command.Parameters.AddWithValue("platform", learner.Platform.ToString());
        command.Parameters.AddWithValue("workspace", learner.Workspace);
        command.Parameters.AddWithValue("user", learner.User);
    }
}
