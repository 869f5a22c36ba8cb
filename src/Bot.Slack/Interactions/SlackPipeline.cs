using System.Diagnostics;
using Bot.Core;
using Bot.Core.Commands;
using Bot.Core.Knowledge;
using Bot.Core.Replies;
using Bot.Slack.Rendering;
using Bot.Slack.WebApi;
using Microsoft.Extensions.Logging;

namespace Bot.Slack.Interactions;

/// <summary>
/// One path for every Slack request, over HTTP or Socket Mode: parse into a Core request and a
/// <see cref="Caller"/>, run Core's pipeline, render Block Kit, and acknowledge within Slack's 3 seconds.
/// A quick command's reply travels in the acknowledgement; anything slower, every button press and
/// every further message go to the request's <c>response_url</c>. A request Slack delivers twice
/// (a retried envelope) is answered once.
/// </summary>
public sealed partial class SlackPipeline(
    CommandPipeline commands,
    IKnowledgeBaseSource knowledge,
    SlackWebApiClient api,
    InFlightWork inFlight,
    TimeProvider time,
    ILogger<SlackPipeline> logger)
{
    public const int MaxSuggestions = 100;
    private const int MaxOptionText = 75;

    /// <summary>How long a command may take before the acknowledgement goes out without it; Slack waits 3 s.</summary>
    public TimeSpan AckBudget { get; set; } = TimeSpan.FromSeconds(2);

    private readonly RecentKeys _seen = new(4096);

    /// <summary>Answers a slash command; returns the acknowledgement body (null for an empty one).</summary>
    public async Task<object?> SlashCommandAsync(SlackSlashCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.TriggerId is { } trigger && !_seen.Add(trigger))
        {
            return null;
        }

        var started = Stopwatch.GetTimestamp();
        var work = commands.RunAsync(CommandText.Parse(command.Command, command.Text), command.Caller, CancellationToken.None);
        using var ackTimer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var deadline = Task.Delay(AckBudget, time, ackTimer.Token);
        if (await Task.WhenAny(work, deadline).ConfigureAwait(false) == work)
        {
            // A quick answer must not leave a timer behind for every request.
            await ackTimer.CancelAsync().ConfigureAwait(false);
            var messages = Messages((await work.ConfigureAwait(false)).Reply, replaceOriginal: null);
            if (messages.Count > 1)
            {
                inFlight.Track(RespondAsync(command.ResponseUrl, messages.Skip(1), LogText.Clean(command.Command), started));
            }

            var elapsedMs = ElapsedMs(started);
            var what = LogText.Clean(command.Command);
            LogAnswered(what, "in the acknowledgement", elapsedMs);
            return messages[0];
        }

        inFlight.Track(FinishAsync(work, command.ResponseUrl, LogText.Clean(command.Command), started));
        return null;
    }

    /// <summary>
    /// Answers an interactive payload: a button press (acknowledged at once, answered by response_url)
    /// or a request for menu options (answered in the acknowledgement).
    /// </summary>
    public Task<object?> InteractionAsync(SlackInteraction interaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(interaction);
        switch (interaction.Type)
        {
            case "block_suggestion":
                return Task.FromResult<object?>(Suggestions(interaction.Value ?? ""));
            case "block_actions" when interaction.ActionId is { } actionId:
                if (interaction.TriggerId is { } trigger && !_seen.Add(trigger))
                {
                    return Task.FromResult<object?>(null);
                }

                var started = Stopwatch.GetTimestamp();
                var work = commands.RunActionAsync(actionId, interaction.Caller, CancellationToken.None);
                inFlight.Track(FinishAsync(work, interaction.ResponseUrl, LogText.Clean(actionId), started));
                return Task.FromResult<object?>(null);
            default:
                return Task.FromResult<object?>(null);
        }
    }

    private async Task FinishAsync(Task<CommandResult> work, Uri? responseUrl, string what, long started)
    {
        try
        {
            var result = await work.ConfigureAwait(false);
            await RespondAsync(responseUrl, Messages(result.Reply, replaceOriginal: result.Reply.ReplacesOriginal), what, started).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            var elapsedMs = ElapsedMs(started);
            LogFailed(exception, what, elapsedMs);
        }
    }

    private async Task RespondAsync(Uri? responseUrl, IEnumerable<SlackMessage> messages, string what, long started)
    {
        if (responseUrl is null)
        {
            LogNoResponseUrl(what);
            return;
        }

        try
        {
            foreach (var message in messages)
            {
                await api.PostToResponseUrlAsync(responseUrl, message, CancellationToken.None).ConfigureAwait(false);
            }

            var elapsedMs = ElapsedMs(started);
            LogAnswered(what, "by response_url", elapsedMs);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            var elapsedMs = ElapsedMs(started);
            LogFailed(exception, what, elapsedMs);
        }
    }

    /// <summary>
    /// Visibility and replacement in Slack's terms: a private reply is ephemeral; a reply that replaces
    /// its question edits the message the button was on; anything else is a new message that never
    /// touches the original.
    /// </summary>
    private static IReadOnlyList<SlackMessage> Messages(Reply reply, bool? replaceOriginal)
    {
        var responseType = reply.Visibility == ReplyVisibility.OnlyCaller ? "ephemeral" : "in_channel";
        return [.. SlackRenderer.Render(reply).Select((message, index) => message with
        {
            ResponseType = replaceOriginal == true && index == 0 ? null : responseType,
            ReplaceOriginal = replaceOriginal is null ? null : replaceOriginal == true && index == 0,
        })];
    }

    private object Suggestions(string typed) => new
    {
        options = knowledge.Current.Complete(typed, MaxSuggestions).Select(concept => new
        {
            text = new { type = "plain_text", text = MarkdownText.Clip(concept.Title, MaxOptionText) },
            value = concept.Id,
        }),
    };

    private static double ElapsedMs(long started) => Stopwatch.GetElapsedTime(started).TotalMilliseconds;

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack {What} answered {How} in {ElapsedMs:0.0} ms")]
    private partial void LogAnswered(string what, string how, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "Slack {What} could not be answered after {ElapsedMs:0.0} ms")]
    private partial void LogFailed(Exception exception, string what, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack {What} came without a response_url; the answer could not be sent")]
    private partial void LogNoResponseUrl(string what);
}
