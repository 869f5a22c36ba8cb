namespace Bot.Host.Storage;

/// <summary>What a column holds, whichever provider stores it.</summary>
internal enum ColumnType
{
    /// <summary>A 32-bit number: SQLite INTEGER, PostgreSQL <c>integer</c>.</summary>
    Integer,

    /// <summary>A 64-bit number, such as an id or a time in Unix milliseconds: SQLite INTEGER, PostgreSQL <c>bigint</c>.</summary>
    BigInteger,

    /// <summary>SQLite REAL, PostgreSQL <c>double precision</c>.</summary>
    Real,

    Text,

    /// <summary>SQLite INTEGER 0 or 1, PostgreSQL <c>boolean</c>.</summary>
    Boolean,

    /// <summary>A UTC date: SQLite TEXT <c>yyyy-MM-dd</c>, PostgreSQL <c>date</c>.</summary>
    Day,
}

internal sealed record StorageColumn(string Name, ColumnType Type, bool Nullable = false);

/// <param name="OrderBy">An order both providers can read the rows in, so that a copy is made in a repeatable order.</param>
/// <param name="IdentityColumn">The column whose values the database makes, and which a copy brings along instead.</param>
internal sealed record StorageTable(string Name, IReadOnlyList<StorageColumn> Columns, string OrderBy, string? IdentityColumn = null);

/// <summary>
/// Every table of the schema at <see cref="IStorageDatabase.LatestVersion"/> and its columns, parents before the
/// tables that refer to them: what <c>bot storage copy</c> moves. A test compares this list with the schema each
/// provider's migrations make, so that a new step cannot add a column the copy would leave behind.
/// </summary>
internal static class StorageTables
{
    public static readonly IReadOnlyList<StorageTable> All =
    [
        new("quiz_instances",
        [
            new("id", ColumnType.BigInteger), new("kind", ColumnType.Text), new("question_id", ColumnType.Text), new("concept_id", ColumnType.Text),
            new("correct_index", ColumnType.Integer), new("choice_count", ColumnType.Integer), new("platform", ColumnType.Text),
            new("workspace", ColumnType.Text), new("channel", ColumnType.Text), new("owner", ColumnType.Text, Nullable: true),
            new("topic", ColumnType.Text, Nullable: true), new("created_at", ColumnType.BigInteger), new("reveal_at", ColumnType.BigInteger, Nullable: true),
        ], "id", IdentityColumn: "id"),
        new("learners",
        [
            new("platform", ColumnType.Text), new("workspace", ColumnType.Text), new("user_id", ColumnType.Text), new("display_name", ColumnType.Text),
        ], "platform, workspace, user_id"),
        new("answers",
        [
            new("instance_id", ColumnType.BigInteger), new("platform", ColumnType.Text), new("workspace", ColumnType.Text), new("user_id", ColumnType.Text),
            new("question_id", ColumnType.Text), new("concept_id", ColumnType.Text), new("choice", ColumnType.Integer), new("correct", ColumnType.Boolean),
            new("answered_at", ColumnType.BigInteger), new("answered_day", ColumnType.Day),
        ], "instance_id, platform, workspace, user_id"),
        new("review_cards",
        [
            new("platform", ColumnType.Text), new("workspace", ColumnType.Text), new("user_id", ColumnType.Text), new("question_id", ColumnType.Text),
            new("concept_id", ColumnType.Text), new("repetitions", ColumnType.Integer), new("interval_days", ColumnType.Real), new("ease", ColumnType.Real),
            new("lapses", ColumnType.Integer), new("last_answered_at", ColumnType.BigInteger), new("due_at", ColumnType.BigInteger),
        ], "platform, workspace, user_id, question_id"),
        new("daily_posts",
        [
            new("target", ColumnType.Text), new("slot", ColumnType.BigInteger), new("question_id", ColumnType.Text),
            new("instance_id", ColumnType.BigInteger, Nullable: true), new("state", ColumnType.Text), new("owner", ColumnType.Text),
            new("lease_until", ColumnType.BigInteger), new("attempts", ColumnType.Integer), new("next_attempt_at", ColumnType.BigInteger),
            new("last_error", ColumnType.Text, Nullable: true), new("message_id", ColumnType.Text, Nullable: true), new("reveal_at", ColumnType.BigInteger),
        ], "target, slot"),
        new("unanswered_lookups",
        [
            new("query", ColumnType.Text), new("query_key", ColumnType.Text), new("candidates", ColumnType.Text), new("outcome", ColumnType.Text),
            new("at", ColumnType.BigInteger),
        ], "at, query_key, query, outcome, candidates"),
    ];
}
