using Bot.Core;
using Bot.Core.Explain;
using Bot.Core.Help;
using Bot.Core.Knowledge;
using Bot.Core.Quiz;
using Bot.Core.RegexTest;
using Bot.Core.Replies;

namespace Bot.Tests.Shared;

/// <summary>
/// Every reply the bot can make from the real course, built through the real handlers, for the
/// renderers' limit sweeps: each platform's sweep adds its own hostile inputs and checks its own limits.
/// </summary>
internal static class CourseReplies
{
    public static readonly DateTimeOffset Now = new(2025, 3, 14, 9, 0, 0, TimeSpan.Zero);

    private static readonly string[] SectionWords = ["example", "pitfalls", "definition", "see also"];

    private static readonly Lazy<KnowledgeBase> Loaded = new(() =>
    {
        var result = KnowledgeBaseLoader.LoadDirectory(RepoPaths.Content);
        return result.KnowledgeBase ?? throw new InvalidOperationException("content/ is invalid: " + string.Join("\n", result.Errors));
    });

    public static KnowledgeBase Course => Loaded.Value;

    /// <summary>Every concept and each of its sections, the course listing, suggestions, and <paramref name="hostileQueries"/>.</summary>
    public static async Task<List<Reply>> ExplainAsync(params string[] hostileQueries)
    {
        var handler = new ExplainHandler(new FixedKnowledge(Course));
        var queries = Course.Concepts
            .SelectMany(concept => SectionWords.Select(word => concept.Id + " " + word).Prepend(concept.Id))
            .Concat(["", "generators iterators", .. hostileQueries]);
        var replies = new List<Reply>();
        foreach (var query in queries)
        {
            replies.Add((await handler.HandleAsync(new ExplainRequest(query), CancellationToken.None)).Reply);
        }

        return replies;
    }

    /// <summary>Every quiz question as a practice and a daily question, both practice results, the daily answer and both reveals.</summary>
    public static List<Reply> Quiz(Platform platform, string workspace, string channel, string user)
    {
        var replies = new List<Reply>();
        foreach (var concept in Course.Concepts)
        {
            foreach (var question in concept.Questions)
            {
                var practice = Instance(question, QuizInstanceKind.Practice, concept.Id);
                var daily = Instance(question, QuizInstanceKind.Daily, null);
                var wrongChoice = (question.CorrectIndex + 1) % question.Choices.Count;
                var perChoice = question.Choices.Select((_, index) => index + 3).ToList();
                replies.Add(QuizReplies.Question(practice, question, concept, "Due for review: you missed it last time."));
                replies.Add(QuizReplies.Question(daily, question, concept, null));
                replies.Add(QuizReplies.PracticeResult(practice, question, concept, new AnswerRecord(question.CorrectIndex, true, Now, true), answeredBefore: false));
                replies.Add(QuizReplies.PracticeResult(practice, question, concept, new AnswerRecord(wrongChoice, false, Now, false), answeredBefore: true));
                replies.Add(QuizReplies.DailyAnswerRecorded(daily, question, new AnswerRecord(wrongChoice, false, Now, true), answeredBefore: false));
                replies.Add(QuizReplies.Reveal(question, concept, new AnswerTally(perChoice.Sum(), perChoice[question.CorrectIndex], perChoice)));
                replies.Add(QuizReplies.Reveal(question, concept, new AnswerTally(0, 0, [])));
            }
        }

        return replies;

        QuizInstance Instance(QuizQuestion question, QuizInstanceKind kind, string? topic) => new(
            9_007_199_254_740_991, kind, question.Id, question.ConceptId, question.CorrectIndex, question.Choices.Count,
            platform, workspace, channel, kind == QuizInstanceKind.Practice ? user : null,
            topic, Now, kind == QuizInstanceKind.Daily ? Now.AddHours(20) : null);
    }

    /// <summary>The help reply and a <c>/regex-test</c> reply for each request.</summary>
    public static async Task<List<Reply>> HelpAndRegexAsync(params RegexTestRequest[] requests)
    {
        var help = await new HelpHandler(new FixedKnowledge(Course)).HandleAsync(new HelpRequest(), CancellationToken.None);
        using var regex = new RegexTestHandler(new RegexTestLimits());
        var replies = new List<Reply> { help.Reply };
        foreach (var request in requests)
        {
            replies.Add((await regex.HandleAsync(request, CancellationToken.None)).Reply);
        }

        return replies;
    }

    /// <summary>A menu with a group of each size, options numbered across groups.</summary>
    public static ReplyMenu Menu(params int[] groupSizes)
    {
        var next = 0;
        return new ReplyMenu("Pick a concept", [.. groupSizes.Select((size, group) => new ReplyMenuGroup(
            $"Topic {group}", [.. Enumerable.Range(0, size).Select(_ => next++).Select(index => new ReplyMenuOption($"explain:concept{index}", $"Concept {index}", $"Beginner · summary {index}"))]))]);
    }

    public static List<ReplyField> Fields(int count) =>
        [.. Enumerable.Range(0, count).Select(index => new ReplyField($"Field{index}", $"value{index} " + new string('v', index * 20), index % 2 == 0))];

    public static List<ReplyAction> Actions(int count) =>
        [.. Enumerable.Range(0, count).Select(index => index % 3 == 0 ? ReplyActions.Answer(index, index % 4, $"Choice {index}") : ReplyActions.Explain("concept" + index, $"Explain concept {index}"))];

    public static string WideTable(int rows) =>
        "| Operation | What it does | Complexity |\n|---|---|---|\n" + string.Join('\n', Enumerable.Range(0, rows).Select(row =>
            $"| op{row} | description{row} of a table cell that is long enough to force the record layout | O(n{row}) |"));

    private sealed class FixedKnowledge(KnowledgeBase knowledgeBase) : IKnowledgeBaseSource
    {
        public KnowledgeBase Current => knowledgeBase;
    }
}
