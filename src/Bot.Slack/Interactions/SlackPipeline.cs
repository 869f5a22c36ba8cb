using System.Diagnostics;
using System.Runtime.CompilerServices;
using Bot.Adapters;
using Bot.Core;
using Bot.Core.Commands;
using Bot.Core.Knowledge;
using Bot.Core.Rendering;
using Bot.Core.Replies;
using Bot.Slack.Rendering;
using Bot.Slack.WebApi;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

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
    IOptions<SlackOptions> options,
    ILogger<SlackPipeline> logger)
{
    public const int MaxSuggestions = 100;
    private const int MaxOptionText = 75;

    private readonly RecentKeys _seen = new(4096);

    /// <summary>Answers a slash command; returns the acknowledgement body (null for an empty one).</summary>
    public async Task<object?> SlashCommandAsync(SlackSlashCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var started = Stopwatch.GetTimestamp();
        var id = InteractionId(command.TriggerId);
        var name = LogText.Clean(command.Command);
        if (command.TriggerId is { } trigger && !_seen.Add(trigger))
        {
            LogInteraction(id, name, "ok", InteractionLog.Delivery.Duplicate, started);
            return null;
        }

        var request = CommandText.Parse(command.Command, command.Text);
        var (work, inTime) = await AnswerDeadline.StartAsync(
            () => commands.RunAsync(request, command.Caller, CancellationToken.None), options.Value.AnswerWithin, time, cancellationToken,
            fromMemory: CommandCatalog.Find(command.Command)?.AnswersFromMemory == true).ConfigureAwait(false);
        if (inTime)
        {
            var result = await work.ConfigureAwait(false);
            var messages = Messages(result.Reply, replaceOriginal: null);
            if (messages.Count > 1)
            {
                inFlight.Track(RespondAsync(command.ResponseUrl, messages.Skip(1), name));
            }

            LogInteraction(id, CommandName(result, name), BotMetrics.OutcomeLabel(result), InteractionLog.Delivery.Answered, started);
            return messages[0];
        }

        inFlight.Track(FinishAsync(work, command.ResponseUrl, id, name, started));
        return null;
    }

    /// <summary>
    /// Answers an interactive payload: a button press (acknowledged at once, answered by response_url)
    /// or a request for menu options (answered in the acknowledgement).
    /// </summary>
    public Task<object?> InteractionAsync(SlackInteraction interaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(interaction);
        var started = Stopwatch.GetTimestamp();
        var id = InteractionId(interaction.TriggerId);
        switch (interaction.Type)
        {
            case "block_suggestion":
                var suggestions = Suggestions(interaction.Value ?? "");
                LogInteraction(id, "suggestions", "ok", InteractionLog.Delivery.Answered, started);
                return Task.FromResult<object?>(suggestions);
            case "block_actions" when interaction.ActionId is { } actionId:
                var name = LogText.Clean(actionId);
                if (interaction.TriggerId is { } trigger && !_seen.Add(trigger))
                {
                    LogInteraction(id, name, "ok", InteractionLog.Delivery.Duplicate, started);
                    return Task.FromResult<object?>(null);
                }

                var work = Task.Run(() => commands.RunActionAsync(actionId, interaction.Caller, CancellationToken.None), CancellationToken.None);
                inFlight.Track(FinishAsync(work, interaction.ResponseUrl, id, name, started));
                return Task.FromResult<object?>(null);
            default:
                return Task.FromResult<object?>(null);
        }
    }

    private async Task FinishAsync(Task<CommandResult> work, Uri? responseUrl, string id, string name, long started)
    {
        var (command, outcome, delivery) = (name, "failed", InteractionLog.Delivery.NotDelivered);
        try
        {
            var result = await work.ConfigureAwait(false);
            (command, outcome) = (CommandName(result, name), BotMetrics.OutcomeLabel(result));
            if (await RespondAsync(responseUrl, Messages(result.Reply, replaceOriginal: result.Reply.ReplacesOriginal), name).ConfigureAwait(false))
            {
                delivery = InteractionLog.Delivery.Deferred;
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogFailed(exception, name);
        }
        finally
        {
            LogInteraction(id, command, outcome, delivery, started);
        }
    }

    /// <summary>Posts <paramref name="messages"/> to the response URL; false (and logged) when they could not all be delivered.</summary>
    private async Task<bool> RespondAsync(Uri? responseUrl, IEnumerable<SlackMessage> messages, string name)
    {
        if (responseUrl is null)
        {
            LogNoResponseUrl(name);
            return false;
        }

        try
        {
            foreach (var message in messages)
            {
                await api.PostToResponseUrlAsync(responseUrl, message, CancellationToken.None).ConfigureAwait(false);
            }

            return true;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogFailed(exception, name);
            return false;
        }
    }

    /// <summary>Core's name for the command, or what was typed or pressed when Core answered with a problem.</summary>
    private static string CommandName(CommandResult result, string name) => result.Command == ProblemReply.CommandName ? name : result.Command;

    /// <summary>Slack gives slash commands and interactive payloads a <c>trigger_id</c>; it is what names the interaction.</summary>
    private static string InteractionId(string? triggerId) => triggerId is null ? "-" : LogText.Clean(triggerId);

    private void LogInteraction(string id, string command, string outcome, string delivery, long started)
    {
        var elapsedMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        InteractionLog.Write(logger, Platform.Slack, id, command, outcome, delivery, elapsedMs);
    }

    /// <summary>
    /// Visibility and replacement in Slack's terms: a private reply is ephemeral; a reply that replaces
    /// its question edits the message the button was on; anything else is a new message that never
    /// touches the original. Core hands out the same reply for the same concept, and this hands out the
    /// same messages for it, so that the endpoint serializes an acknowledgement once, not per request.
    /// </summary>
    private static IReadOnlyList<SlackMessage> Messages(Reply reply, bool? replaceOriginal) =>
        MessagesByReply.GetValue(reply, static _ => new DeliveredMessages()).For(reply, replaceOriginal);

    private static readonly ConditionalWeakTable<Reply, DeliveredMessages> MessagesByReply = [];

    /// <summary>A reply's messages for each way of delivering it, made when first asked for.</summary>
    private sealed class DeliveredMessages
    {
        // Two threads asking at once may both build; the messages are immutable and equal, so either will do.
        private IReadOnlyList<SlackMessage>? _new;
        private IReadOnlyList<SlackMessage>? _replacing;
        private IReadOnlyList<SlackMessage>? _notReplacing;

        public IReadOnlyList<SlackMessage> For(Reply reply, bool? replaceOriginal) => replaceOriginal switch
        {
            null => _new ??= Build(reply, replaceOriginal),
            true => _replacing ??= Build(reply, replaceOriginal),
            false => _notReplacing ??= Build(reply, replaceOriginal),
        };

        private static IReadOnlyList<SlackMessage> Build(Reply reply, bool? replaceOriginal)
        {
            var responseType = reply.Visibility == ReplyVisibility.OnlyCaller ? "ephemeral" : "in_channel";
            return [.. SlackRenderer.Render(reply).Select((message, index) => message with
            {
                ResponseType = replaceOriginal == true && index == 0 ? null : responseType,
                ReplaceOriginal = replaceOriginal is null ? null : replaceOriginal == true && index == 0,
            })];
        }
    }

    private object Suggestions(string typed) => new
    {
        options = knowledge.Current.Complete(typed, MaxSuggestions).Select(concept => new
        {
            text = new { type = "plain_text", text = TextClip.Clip(concept.Title, MaxOptionText) },
            value = concept.Id,
        }),
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "Slack {What} could not be answered")]
    private partial void LogFailed(Exception exception, string what);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack {What} came without a response_url; the answer could not be sent")]
    private partial void LogNoResponseUrl(string what);
}
