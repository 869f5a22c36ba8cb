using System.Globalization;
using Bot.Core;
using Bot.Core.Quiz;
using Microsoft.Data.Sqlite;
using static Bot.Host.Storage.StorageRows;

namespace Bot.Host.Storage;

/// <summary>
/// Quiz instances, answers, learners and review cards in the <see cref="SqliteDatabase"/>. Every method opens a
/// connection of its own; writes that read first run in IMMEDIATE transactions.
/// </summary>
internal sealed class SqliteQuizStore(SqliteDatabase database) : IQuizStore
{
    public async Task<QuizInstance> CreateInstanceAsync(NewQuizInstance instance, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        await using var connection = await database.OpenAsync(cancellationToken);
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
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {InstanceColumns}
            FROM quiz_instances WHERE id = $id;
            """;
        command.Parameters.AddWithValue("$id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return ReadInstance(reader);
    }

    public async Task<AnswerRecord> RecordAnswerAsync(QuizInstance instance, Learner learner, string displayName, int choice, DateTimeOffset answeredAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(learner);
        await using var connection = await database.OpenAsync(cancellationToken);
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
        await using var connection = await database.OpenAsync(cancellationToken);
        return await ReadCardsAsync(connection, learner, questionId: null, cancellationToken);
    }

    public async Task<LearnerHistory> GetHistoryAsync(Learner learner, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
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
        await using var connection = await database.OpenAsync(cancellationToken);
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
        await using var connection = await database.OpenAsync(cancellationToken);
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
        command.CommandText = $"""
            SELECT {CardColumns} FROM review_cards
            WHERE platform = $platform AND workspace = $workspace AND user_id = $user AND ($question IS NULL OR question_id = $question);
            """;
        AddLearner(command, learner);
        command.Parameters.AddWithValue("$question", (object?)questionId ?? DBNull.Value);
        return await ReadAllAsync(command, ReadCard, cancellationToken);
    }

    private static void AddLearner(SqliteCommand command, Learner learner)
    {
        command.Parameters.AddWithValue("$platform", learner.Platform.ToString());
        command.Parameters.AddWithValue("$workspace", learner.Workspace);
        command.Parameters.AddWithValue("$user", learner.User);
    }
}
