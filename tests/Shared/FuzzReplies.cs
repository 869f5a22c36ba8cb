using Bot.Core;
using Bot.Core.Replies;

namespace Bot.Tests.Shared;

/// <summary>Every reply a fuzz of the renderers checks: from random input through Core, and from the whole course.</summary>
internal static class FuzzReplies
{
    /// <summary>
    /// The replies, each with its case and whether it was made from what a learner typed (a problem or "did you mean"
    /// reply, which must fit one message), not from the course.
    /// </summary>
    /// <param name="mentions">Text that would ping on this platform if a renderer let it through, echoed by /explain.</param>
    public static async Task<List<(string Case, Reply Reply, bool FromUserText)>> CollectAsync(
        int seed, int lines, int regexRequests, string mentions, List<string> failures)
    {
        await using var core = FuzzCore.Create();
        core.Collected = [];

        // Text reaches Core as the platforms deliver it: Discord reads a lone surrogate as U+FFFD, Slack refuses the
        // request. Core's own fuzz feeds it raw; here the renderers must not make ill-formed text themselves.
        core.Transport = TransportText.WellFormed;
        var random = new Random(seed);
        foreach (var (line, index) in FuzzText.HandMade.Concat(FuzzText.HandMadeLines).Select((line, index) => (line, index)))
        {
            await core.RunLineAsync($"hand-made {index}", line, core.Callers[index % core.Callers.Count], random, failures);
        }

        for (var attempt = 0; attempt < lines; attempt++)
        {
            await core.RunLineAsync($"case {attempt}", FuzzText.Line(random), core.Callers[random.Next(core.Callers.Count)], random, failures);
        }

        var replies = core.Collected.Select(item => (item.Case, item.Reply, FromUserText(item.Reply))).ToList();
        // As a transport delivers them: lone surrogates already replaced (Core's own fuzz feeds them raw).
        var regex = Enumerable.Range(0, regexRequests).Select(_ => TransportText.WellFormed(FuzzText.RegexRequest(random))).ToArray();
        var course = (await CourseReplies.ExplainAsync(mentions, FuzzText.HandMade[random.Next(FuzzText.HandMade.Length)]))
            .Concat(CourseReplies.Quiz(Platform.Discord, "1000000000000000001", "1000000000000000002", "900000000000000001"))
            .Concat(CourseReplies.Quiz(Platform.Slack, "T0FAKE001", "C0GENERAL1", "U0STUDENT1"))
            .Select((reply, index) => ($"course reply {index}", reply, false));
        var regexReplies = (await CourseReplies.HelpAndRegexAsync(regex)).Select((reply, index) => ($"regex request {index - 1}: {(index == 0 ? "help" : FuzzText.Show(regex[index - 1].ToString()))}", reply, index > 0));
        return [.. replies, .. course, .. regexReplies];
    }

    /// <summary>Replies whose size comes from the learner's text and Core's own words, not from course content.</summary>
    private static bool FromUserText(Reply reply) =>
        reply.Tone is ReplyTone.Error || reply.Title is "Not in this course yet" or "No such topic" or "Cannot run this test" || reply.Title.StartsWith("Regex", StringComparison.Ordinal);
}
