using System.Diagnostics;
using System.Diagnostics.Metrics;
using Bot.Core.Explain;
using Bot.Core.Quiz;
using Bot.Core.RegexTest;

namespace Bot.Core;

/// <summary>
/// What the bot counts, as .NET services do (System.Diagnostics.Metrics; exported by the host through
/// OpenTelemetry): commands by platform, command and outcome, how long each took, how /explain ended,
/// regex cut-offs, platform API calls, reconnects and the daily quiz. Every label is from a fixed set:
/// no token, id or user text.
/// </summary>
public sealed class BotMetrics
{
    /// <summary>The meter's name, and the name of the <see cref="ActivitySource"/> of the bot's own trace spans.</summary>
    public const string MeterName = "Tutor.Bot";

    /// <summary>Spans for commands and platform API calls; free when no tracer listens.</summary>
    public static readonly ActivitySource Tracing = new(MeterName);

    private readonly Counter<long> _commands;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _explainLookups;
    private readonly Counter<long> _regexCutOffs;
    private readonly Counter<long> _platformRequests;
    private readonly Counter<long> _platformRetries;
    private readonly Counter<long> _reconnects;
    private readonly Counter<long> _dailyPosts;

    public BotMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _commands = meter.CreateCounter<long>("tutor.commands", "{command}", "Commands answered, by platform, command and outcome (ok or failed).");
        _duration = meter.CreateHistogram<double>("tutor.command.duration", "s", "How long the bot took to answer a command, by platform and command.");
        _explainLookups = meter.CreateCounter<long>("tutor.explain.lookups", "{lookup}", "How /explain ended: shown, unsure (suggestions), none, or the course listed.");
        _regexCutOffs = meter.CreateCounter<long>("tutor.regex.cutoffs", "{match}", "/regex-test matches stopped by the step or time budget.");
        _platformRequests = meter.CreateCounter<long>("tutor.platform.requests", "{request}",
            "HTTP requests to a platform's API, each retry counted, by platform and answer: 2xx, 4xx, 429, 5xx or error (no answer).");
        _platformRetries = meter.CreateCounter<long>("tutor.platform.retries", "{request}",
            "Requests to a platform's API sent again, by platform and the answer that made the bot retry: 429 (waited out as told), 5xx or error.");
        _reconnects = meter.CreateCounter<long>("tutor.reconnects", "{reconnect}", "Times the Discord gateway or Slack Socket Mode connection was lost and opened again, by platform.");
        _dailyPosts = meter.CreateCounter<long>("tutor.daily.posts", "{post}",
            "What happened to daily-quiz posts, by platform and state: posted, revealed, retrying, given_up, missed (bot down past the grace) or no_questions.");
    }

    /// <summary>Counts one step of a daily-quiz post; <paramref name="state"/> is one of the names in the counter's description.</summary>
    public void DailyPost(Platform platform, string state) =>
        _dailyPosts.Add(1, new KeyValuePair<string, object?>("platform", PlatformLabel(platform)), new KeyValuePair<string, object?>("state", state));

    /// <summary>How a command ended, in a word for logs and traces: shown, unsure, none, correct, wrong, rejected, cut_off, failed, problem or ok.</summary>
    public static string OutcomeLabel(CommandResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Outcome switch
        {
            ConceptShown => "shown",
            ConceptSuggestions { Suggestions.Count: 0 } => "none",
            ConceptSuggestions => "unsure",
            CourseListing => "listing",
            QuizAnswered { Counted: false } => "repeat",
            QuizAnswered { Correct: true } => "correct",
            QuizAnswered { Correct: false } => "wrong",
            QuizAnswered => "answered",
            QuizUnavailable => "unavailable",
            RegexRejected => "rejected",
            RegexCutOff => "cut_off",
            CommandFailed => "failed",
            _ when result.Reply.Tone == Replies.ReplyTone.Error => "problem",
            _ => "ok",
        };
    }

    /// <summary>The <c>platform</c> label's value: the platform's name in lower case.</summary>
    public static string PlatformLabel(Platform platform) => platform switch
    {
        Platform.Discord => "discord",
        Platform.Slack => "slack",
        _ => "terminal",
    };

    /// <summary>Counts one reconnect of a platform's live connection (the Discord gateway, Slack Socket Mode).</summary>
    public void Reconnected(Platform platform) =>
        _reconnects.Add(1, new KeyValuePair<string, object?>("platform", PlatformLabel(platform)));

    /// <summary>Counts one HTTP attempt to a platform's API; <paramref name="status"/> is a <see cref="StatusLabel"/>.</summary>
    public void PlatformRequest(Platform platform, string status) =>
        _platformRequests.Add(1,
            new KeyValuePair<string, object?>("platform", PlatformLabel(platform)),
            new KeyValuePair<string, object?>("status", status));

    /// <summary>Counts one request sent again, with the <see cref="StatusLabel"/> of the attempt before it (429, 5xx or error).</summary>
    public void PlatformRetry(Platform platform, string after) =>
        _platformRetries.Add(1,
            new KeyValuePair<string, object?>("platform", PlatformLabel(platform)),
            new KeyValuePair<string, object?>("after", after));

    /// <summary>An HTTP answer as a label: 2xx, 3xx, 4xx, 429, 5xx, or error when <paramref name="statusCode"/> is null (no answer).</summary>
    public static string StatusLabel(int? statusCode) => statusCode switch
    {
        null => "error",
        429 => "429",
        >= 500 => "5xx",
        >= 400 => "4xx",
        >= 300 => "3xx",
        _ => "2xx",
    };

    /// <summary>Counts one answered command; <paramref name="result"/> is null when the handler failed.</summary>
    public void Answered(Platform platform, string command, CommandResult? result, TimeSpan elapsed)
    {
        var platformTag = new KeyValuePair<string, object?>("platform", PlatformLabel(platform));
        var commandTag = new KeyValuePair<string, object?>("command", command);
        _commands.Add(1, platformTag, commandTag, new KeyValuePair<string, object?>("outcome", result is null ? "failed" : "ok"));
        _duration.Record(elapsed.TotalSeconds, platformTag, commandTag);
        switch (result?.Outcome)
        {
            case ConceptShown:
                _explainLookups.Add(1, new KeyValuePair<string, object?>("outcome", "shown"));
                break;
            case ConceptSuggestions suggestions:
                _explainLookups.Add(1, new KeyValuePair<string, object?>("outcome", suggestions.Suggestions.Count == 0 ? "none" : "unsure"));
                break;
            case CourseListing:
                _explainLookups.Add(1, new KeyValuePair<string, object?>("outcome", "listing"));
                break;
            case RegexCutOff:
                _regexCutOffs.Add(1);
                break;
        }
    }
}
