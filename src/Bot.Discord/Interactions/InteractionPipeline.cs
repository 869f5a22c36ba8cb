using System.Diagnostics;
using Bot.Adapters;
using Bot.Core;
using Bot.Core.Commands;
using Bot.Core.Knowledge;
using Bot.Core.Rendering;
using Bot.Core.Replies;
using Bot.Discord.Rendering;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Discord.Interactions;

/// <summary>
/// One path for every interaction, whatever the transport: parse it into a Core request and a
/// <see cref="Caller"/>, run Core's pipeline, render the reply, and answer within Discord's 3-second
/// deadline: directly when Core is quick, otherwise a deferral first and the reply as an edit.
/// Any failure still ends in one polite ephemeral message and a log line with the interaction id.
/// </summary>
public sealed partial class InteractionPipeline(
    CommandPipeline commands,
    IKnowledgeBaseSource knowledge,
    IDiscordInteractionApi api,
    TimeProvider time,
    IOptions<DiscordOptions> options,
    ILogger<InteractionPipeline> logger)
{
    public const int MaxAutocompleteChoices = 25;
    private const int MaxChoiceLength = 100;

    /// <summary>How long Core may take before the interaction is deferred (<c>Discord:AnswerWithin</c>); the fuzz tests defer everything.</summary>
    internal TimeSpan AnswerWithin { get; set; } = options.Value.AnswerWithin;

    /// <summary>Answers <paramref name="interaction"/> completely: the initial response, then any edit and follow-ups.</summary>
    public async Task HandleAsync(Interaction interaction, IInitialResponder responder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(interaction);
        ArgumentNullException.ThrowIfNull(responder);
        var started = Stopwatch.GetTimestamp();
        var command = LogText.Clean(interaction.Data?.Name ?? interaction.Data?.CustomId);
        var (outcome, delivery) = ("ok", InteractionLog.Delivery.Answered);
        var tracked = new TrackingResponder(responder);
        responder = tracked;
        try
        {
            CommandResult? result = null;
            switch (interaction.Type)
            {
                case InteractionType.Ping:
                    command = "ping";
                    await responder.RespondAsync(InteractionResponse.Pong, cancellationToken).ConfigureAwait(false);
                    break;
                case InteractionType.ApplicationCommandAutocomplete:
                    command += " autocomplete";
                    await responder.RespondAsync(Autocomplete(interaction), cancellationToken).ConfigureAwait(false);
                    break;
                case InteractionType.ApplicationCommand when interaction.Data is { } data && InteractionRequests.Command(data) is { } request:
                    (delivery, result) = await RunAsync(interaction, responder, isComponent: false, caller => commands.RunAsync(request, caller, cancellationToken), cancellationToken).ConfigureAwait(false);
                    break;
                case InteractionType.MessageComponent when InteractionRequests.ActionId(interaction.Data) is { } actionId:
                    (delivery, result) = await RunAsync(interaction, responder, isComponent: true, caller => commands.RunActionAsync(actionId, caller, cancellationToken), cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    (delivery, result) = await RunAsync(interaction, responder, isComponent: false, _ => Task.FromResult(ProblemReply.Result(
                        "Not available", "This command is not part of this version of the tutor. Try `/help` to see what it can do.")), cancellationToken).ConfigureAwait(false);
                    break;
            }

            if (result is not null)
            {
                command = result.Command == ProblemReply.CommandName ? command : result.Command;
                outcome = BotMetrics.OutcomeLabel(result);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            (outcome, delivery) = ("failed", InteractionLog.Delivery.NotDelivered);
            var failedId = LogText.Clean(interaction.Id);
            LogFailed(exception, failedId, interaction.Type);
            if (!tracked.Responded && interaction.Type is not (InteractionType.Ping or InteractionType.ApplicationCommandAutocomplete))
            {
                await AnswerFailureAsync(interaction, tracked, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            var elapsedMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var id = LogText.Clean(interaction.Id);
            InteractionLog.Write(logger, Platform.Discord, id, command, outcome, delivery, elapsedMs);
        }
    }

    private async Task<(string Delivery, CommandResult Result)> RunAsync(
        Interaction interaction, IInitialResponder responder, bool isComponent, Func<Caller, Task<CommandResult>> run, CancellationToken cancellationToken)
    {
        var caller = InteractionRequests.Caller(interaction);
        var fromMemory = !isComponent && CommandCatalog.Find(interaction.Data?.Name)?.AnswersFromMemory == true;
        var (work, inTime) = await AnswerDeadline.StartAsync(() => run(caller), AnswerWithin, time, cancellationToken, fromMemory).ConfigureAwait(false);
        if (inTime)
        {
            var result = await work.ConfigureAwait(false);
            var messages = DiscordRenderer.Render(result.Reply);
            var type = isComponent && result.Reply.ReplacesOriginal ? InteractionCallbackType.UpdateMessage : InteractionCallbackType.ChannelMessageWithSource;
            await responder.RespondAsync(new InteractionResponse(type, messages[0]), cancellationToken).ConfigureAwait(false);
            await FollowUpAsync(interaction, messages.Skip(1), cancellationToken).ConfigureAwait(false);
            return (InteractionLog.Delivery.Answered, result);
        }

        // Components defer without a visible "thinking" state; commands show one, privately when the
        // answer will be private anyway, so a slow /stats never flashes in the channel.
        var deferredPrivately = !isComponent && CommandCatalog.Find(interaction.Data?.Name)?.IsPrivate == true;
        await responder.RespondAsync(isComponent
            ? new InteractionResponse(InteractionCallbackType.DeferredUpdateMessage)
            : new InteractionResponse(InteractionCallbackType.DeferredChannelMessageWithSource, new DeferredData(deferredPrivately ? DiscordLimits.Ephemeral : null)),
            cancellationToken).ConfigureAwait(false);

        var slow = await work.ConfigureAwait(false);
        var rendered = DiscordRenderer.Render(slow.Reply);
        var isPrivate = slow.Reply.Visibility == ReplyVisibility.OnlyCaller;
        if (isComponent && !slow.Reply.ReplacesOriginal)
        {
            await FollowUpAsync(interaction, rendered, cancellationToken).ConfigureAwait(false);
        }
        else if (!isComponent && isPrivate && !deferredPrivately)
        {
            // A public "thinking" message cannot become private: remove it and answer privately instead.
            await api.DeleteOriginalResponseAsync(interaction.Token, cancellationToken).ConfigureAwait(false);
            await FollowUpAsync(interaction, rendered, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await api.EditOriginalResponseAsync(interaction.Token, rendered[0], cancellationToken).ConfigureAwait(false);
            await FollowUpAsync(interaction, rendered.Skip(1), cancellationToken).ConfigureAwait(false);
        }

        return (InteractionLog.Delivery.Deferred, slow);
    }

    /// <summary>Last resort after a fault before any answer: one private apology, so the interaction is not left hanging.</summary>
    private async Task AnswerFailureAsync(Interaction interaction, IInitialResponder responder, CancellationToken cancellationToken)
    {
        var apology = DiscordRenderer.Render(ProblemReply.Create("Something went wrong", "Sorry, that failed on my side. The error has been logged; please try again."))[0];
        try
        {
            await responder.RespondAsync(new InteractionResponse(InteractionCallbackType.ChannelMessageWithSource, apology), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var apologyId = LogText.Clean(interaction.Id);
            LogApologyFailed(exception, apologyId);
        }
    }

    private async Task FollowUpAsync(Interaction interaction, IEnumerable<DiscordMessage> messages, CancellationToken cancellationToken)
    {
        foreach (var message in messages)
        {
            await api.CreateFollowupAsync(interaction.Token, message, cancellationToken).ConfigureAwait(false);
        }
    }

    private InteractionResponse Autocomplete(Interaction interaction)
    {
        var partial = interaction.Data is { } data && InteractionRequests.Focused(data)?.Value is { ValueKind: System.Text.Json.JsonValueKind.String } value
            ? InteractionRequests.Text(value)
            : "";
        var quizOnly = interaction.Data?.Name == CommandCatalog.Quiz.Name;
        var choices = knowledge.Current.Complete(partial, quizOnly ? MaxAutocompleteChoices * 2 : MaxAutocompleteChoices)
            .Where(concept => !quizOnly || concept.QuestionCount > 0)
            .Take(MaxAutocompleteChoices)
            .Select(concept => new AutocompleteChoice(TextClip.Clip(concept.Title, MaxChoiceLength), concept.Id))
            .ToList();
        return new InteractionResponse(InteractionCallbackType.ApplicationCommandAutocompleteResult, new AutocompleteData(choices));
    }

    private sealed class TrackingResponder(IInitialResponder inner) : IInitialResponder
    {
        public bool Responded { get; private set; }

        public async Task RespondAsync(InteractionResponse response, CancellationToken cancellationToken)
        {
            await inner.RespondAsync(response, cancellationToken).ConfigureAwait(false);
            Responded = true;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Discord interaction {InteractionId}: even the apology could not be sent")]
    private partial void LogApologyFailed(Exception exception, string interactionId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Discord interaction {InteractionId} ({Type}) could not be answered")]
    private partial void LogFailed(Exception exception, string interactionId, InteractionType type);
}
