using Bot.Adapters;
using Microsoft.Extensions.Options;

namespace Bot.Slack;

/// <summary>Rejects an unusable <c>Slack</c> section at start, naming the key and the fix.</summary>
internal sealed class SlackOptionsValidator : IValidateOptions<SlackOptions>
{
    private const string Section = SlackOptions.Section;

    public ValidateOptionsResult Validate(string? name, SlackOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();

        if (!options.BotToken!.Trim().StartsWith("xoxb-", StringComparison.Ordinal))
        {
            failures.Add($"{Section}:BotToken must be the Bot User OAuth Token (xoxb-…) from the app's OAuth & Permissions page.");
        }

        if (options.SocketMode && !options.AppToken!.Trim().StartsWith("xapp-", StringComparison.Ordinal))
        {
            failures.Add($"{Section}:AppToken must be an app-level token (xapp-…) with the connections:write scope, from the app's Basic Information page.");
        }

        if (!options.SocketMode && !options.Http)
        {
            failures.Add($"Slack needs a way to receive commands: set {Section}__AppToken for Socket Mode (no public URL needed), or {Section}__SigningSecret to receive them at POST /slack/events.");
        }

        if (!options.ApiBaseUrl.IsAbsoluteUri || options.ApiBaseUrl.Scheme is not ("https" or "http"))
        {
            failures.Add($"{Section}:ApiBaseUrl must be an absolute http(s) URL such as {SlackOptions.DefaultApiBaseUrl}.");
        }

        failures.AddRange(options.Retry.Problems($"{Section}:Retry"));
        failures.AddRange(AnswerDeadline.Problems($"{Section}:AnswerWithin", options.AnswerWithin));

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
