using Bot.Adapters;

namespace Bot.Slack;

/// <summary>The <c>Slack</c> section. The adapter runs when <see cref="BotToken"/> is set.</summary>
public sealed class SlackOptions
{
    public const string Section = "Slack";

    public static readonly Uri DefaultApiBaseUrl = new("https://slack.com/api/");

    /// <summary>Secret (<c>xoxb-…</c>): the bot token for the Web API. From the environment or <c>/run/secrets</c> only.</summary>
    public string? BotToken { get; set; }

    /// <summary>Secret (<c>xapp-…</c>, scope <c>connections:write</c>): enables Socket Mode, which needs no public URL.</summary>
    public string? AppToken { get; set; }

    /// <summary>Secret: enables <c>POST /slack/events</c> (HTTP mode) and verifies its requests.</summary>
    public string? SigningSecret { get; set; }

    /// <summary>Web API base, with the trailing slash; tests point it at a loopback fake.</summary>
    public Uri ApiBaseUrl { get; set; } = DefaultApiBaseUrl;

    /// <summary>
    /// How long a command may take before the acknowledgement goes out without it and the answer is posted
    /// to the response_url; at most <see cref="AnswerDeadline.Latest"/>, since Slack waits 3 s.
    /// </summary>
    public TimeSpan AnswerWithin { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Retries of Slack's server errors and of network failures (<c>Slack:Retry:MaxRetries</c>, <c>Slack:Retry:FirstDelay</c>).</summary>
    public TransientRetryOptions Retry { get; set; } = new();

    /// <summary>Configuration keys that hold secrets: the host refuses them in settings files.</summary>
    public static IReadOnlyList<string> SecretKeys { get; } =
        [$"{Section}:{nameof(BotToken)}", $"{Section}:{nameof(AppToken)}", $"{Section}:{nameof(SigningSecret)}"];

    public bool Enabled => !string.IsNullOrWhiteSpace(BotToken);

    public bool SocketMode => !string.IsNullOrWhiteSpace(AppToken);

    public bool Http => !string.IsNullOrWhiteSpace(SigningSecret);
}
