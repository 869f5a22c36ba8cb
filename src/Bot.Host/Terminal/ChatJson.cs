using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Bot.Core;
using Bot.Core.Explain;
using Bot.Core.Quiz;
using Bot.Core.RegexTest;
using Bot.Core.Replies;
using Bot.Core.Search;

namespace Bot.Host.Terminal;

/// <summary>The machine-readable form of one command's result: exactly one JSON object per line.</summary>
internal static class ChatJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static string Serialize(CommandResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Outcome is StatsShown stats)
        {
            // A stats line has its own shape: "correct" is a count here, not an answer's verdict.
            return JsonSerializer.Serialize(new StatsJsonLine(result.Command, ToReplyJson(result.Reply), stats.Answered, stats.Correct,
                stats.Accuracy, stats.StreakDays, stats.Weakest, stats.NextReviewAt, stats.DueNow), Options);
        }

        var line = new ChatJsonLine(result.Command, ToReplyJson(result.Reply));
        line = result.Outcome switch
        {
            ConceptShown shown => line with { ConceptId = shown.ConceptId, Title = shown.Title, Section = shown.Section, MatchedBy = shown.MatchedBy },
            ConceptSuggestions unsure => line with { Suggestions = unsure.Suggestions },
            CourseListing listing => line with { Concepts = listing.Concepts },
            QuizQuestionShown shown => line with { InstanceId = shown.InstanceId, QuestionId = shown.QuestionId, ConceptId = shown.ConceptId, Reason = shown.Reason, Choices = shown.Choices },
            QuizAnswered answered => line with { InstanceId = answered.InstanceId, QuestionId = answered.QuestionId, ConceptId = answered.ConceptId, Choice = answered.Choice + 1, Correct = answered.Correct, Counted = answered.Counted },
            QuizUnavailable unavailable => line with { Suggestions = unavailable.Suggestions, Error = result.Reply.Title + ": " + result.Reply.Body },
            LeaderboardShown board => line with { Leaderboard = board },
            RegexTested tested => line with
            {
                Mode = tested.Mode.ToString().ToLowerInvariant(),
                Matches = [.. tested.Matches.Select(match => new MatchJson([match.Span.Start, match.Span.End], [.. match.Groups.Select(group => group is { } span ? new[] { span.Start, span.End } : null)]))],
                Result = tested.Result,
            },
            RegexRejected rejected => line with { Error = rejected.Message, Position = rejected.Position },
            RegexCutOff cutOff => line with { Timeout = true, NestedQuantifier = cutOff.NestedQuantifier },
            _ when result.Reply.Tone == ReplyTone.Error => line with { Error = result.Reply.Title + ": " + result.Reply.Body },
            _ => line,
        };
        return JsonSerializer.Serialize(line, Options);
    }

    private static ReplyJson ToReplyJson(Reply reply) => new(
        reply.Title,
        reply.Summary,
        reply.Body,
        reply.Fields.Count == 0 ? null : reply.Fields,
        [.. reply.Actions.Select((action, index) => new ActionJson(index + 1, action.Id, action.Label))],
        reply.Menu,
        reply.Tone);

    private sealed record ChatJsonLine(string Command, [property: JsonPropertyOrder(1)] ReplyJson Reply)
    {
        public string? ConceptId { get; init; }

        public string? Title { get; init; }

        public string? Section { get; init; }

        public MatchKind? MatchedBy { get; init; }

        public IReadOnlyList<ConceptRef>? Suggestions { get; init; }

        public IReadOnlyList<ConceptRef>? Concepts { get; init; }

        public long? InstanceId { get; init; }

        public string? QuestionId { get; init; }

        public PickReason? Reason { get; init; }

        public IReadOnlyList<string>? Choices { get; init; }

        /// <summary>One-based, like the numbers the chat shows.</summary>
        public int? Choice { get; init; }

        public bool? Correct { get; init; }

        public bool? Counted { get; init; }

        public LeaderboardShown? Leaderboard { get; init; }

        public string? Mode { get; init; }

        public IReadOnlyList<MatchJson>? Matches { get; init; }

        /// <summary>For findall, split and sub: Python's return value as Python prints it.</summary>
        public string? Result { get; init; }

        public int? Position { get; init; }

        public bool? Timeout { get; init; }

        public string? NestedQuantifier { get; init; }

        public string? Error { get; init; }
    }

    private sealed record StatsJsonLine(
        string Command, ReplyJson Reply, int Answered, int Correct, double Accuracy, int StreakDays,
        IReadOnlyList<ConceptScore> Weakest, DateTimeOffset? NextReviewAt, int DueNow);

    /// <summary>Spans in code points, as <c>bot regex-test --jsonl</c> writes them.</summary>
    private sealed record MatchJson(int[] Span, IReadOnlyList<int[]?> Groups);

    private sealed record ReplyJson(string Title, string? Summary, string Body, IReadOnlyList<ReplyField>? Fields, IReadOnlyList<ActionJson> Actions, ReplyMenu? Menu, ReplyTone Tone);

    private sealed record ActionJson(int Number, string Id, string Label);
}
