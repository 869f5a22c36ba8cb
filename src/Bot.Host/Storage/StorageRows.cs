using System.Data.Common;
using System.Text.Json;
using Bot.Core;
using Bot.Core.Explain;
using Bot.Core.Quiz;
using Bot.Host.Daily;

namespace Bot.Host.Storage;

/// <summary>
/// Rows as both providers return them: a query selects one of these column lists, in this order, and the row
/// is read the same way whichever database answered. Times are Unix milliseconds in both.
/// </summary>
internal static class StorageRows
{
    public const string InstanceColumns = "id, kind, question_id, concept_id, correct_index, choice_count, platform, workspace, channel, owner, topic, created_at, reveal_at";

    public const string CardColumns = "question_id, concept_id, repetitions, interval_days, ease, lapses, last_answered_at, due_at";

    public const string PostColumns = "target, slot, question_id, instance_id, state, owner, lease_until, attempts, next_attempt_at, message_id, reveal_at";

    public static long Millis(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    public static DateTimeOffset Time(long millis) => DateTimeOffset.FromUnixTimeMilliseconds(millis);

    /// <summary>A row of <see cref="InstanceColumns"/>.</summary>
    public static QuizInstance ReadInstance(DbDataReader reader) => new(
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

    /// <summary>A row of <see cref="CardColumns"/>.</summary>
    public static ReviewCard ReadCard(DbDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetDouble(3), reader.GetDouble(4),
        reader.GetInt32(5), Time(reader.GetInt64(6)), Time(reader.GetInt64(7)));

    /// <summary>A row of <see cref="PostColumns"/>.</summary>
    public static DailyPost ReadPost(DbDataReader reader) => new(
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
        Time(reader.GetInt64(10)));

    /// <summary>A row of the unanswered-lookups report: query key, hits, last time, query, outcome, candidates (JSON).</summary>
    public static UnansweredReportRow ReadReportRow(DbDataReader reader) => new(
        reader.GetString(3),
        reader.GetInt32(1),
        Time(reader.GetInt64(2)),
        Enum.Parse<UnansweredOutcome>(reader.GetString(4)),
        JsonSerializer.Deserialize<string[]>(reader.GetString(5)) ?? []);

    /// <summary>Every row the command returns, read by <paramref name="read"/>.</summary>
    public static async Task<List<T>> ReadAllAsync<T>(DbCommand command, Func<DbDataReader, T> read, CancellationToken cancellationToken)
    {
        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(read(reader));
        }

        return rows;
    }
}
