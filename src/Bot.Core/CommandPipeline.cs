using System.Diagnostics;
using Bot.Core.Commands;
using Bot.Core.Rendering;
using Bot.Core.Replies;
using Microsoft.Extensions.Logging;

namespace Bot.Core;

/// <summary>
/// The shared work around every command, whatever the platform: dispatch, timing and one log line,
/// and one polite problem reply for bad input or a failure, so no adapter repeats it.
/// </summary>
public sealed partial class CommandPipeline(CommandDispatcher dispatcher, BotMetrics metrics, ILogger<CommandPipeline> logger)
{
    public async Task<CommandResult> RunAsync(BotRequest request, Caller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(caller);
        var started = Stopwatch.GetTimestamp();
        using var activity = BotMetrics.Tracing.StartActivity("command");
        activity?.SetTag("tutor.platform", BotMetrics.PlatformLabel(caller.Platform));
        try
        {
            var result = await dispatcher.DispatchAsync(request, caller, cancellationToken).ConfigureAwait(false);
            var elapsed = Stopwatch.GetElapsedTime(started);
            metrics.Answered(caller.Platform, result.Command, result, elapsed);
            if (activity is not null)
            {
                activity.DisplayName = result.Command;
                activity.SetTag("tutor.command", result.Command);
                activity.SetTag("tutor.outcome", BotMetrics.OutcomeLabel(result));
            }

            var elapsedMs = elapsed.TotalMilliseconds;
            if (logger.IsEnabled(LogLevel.Debug))
            {
                var user = LogText.Clean(caller.User);
                LogHandled(result.Command, caller.Platform, user, elapsedMs);
            }

            return result;
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var elapsed = Stopwatch.GetElapsedTime(started);
            var command = request.GetType().Name.Replace("Request", "", StringComparison.Ordinal).ToLowerInvariant();
            metrics.Answered(caller.Platform, command, null, elapsed);
            activity?.SetTag("tutor.command", command);
            activity?.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
            var elapsedMs = elapsed.TotalMilliseconds;
            var user = LogText.Clean(caller.User);
            LogFailed(exception, request.GetType().Name, caller.Platform, user, elapsedMs);
            return ProblemReply.Result("Something went wrong", "Sorry, that command failed on my side. The error has been logged; please try again.") with { Outcome = new CommandFailed() };
        }
    }

    /// <summary>Runs a command typed as text (terminal, Slack); usage mistakes and unknown names get a problem reply.</summary>
    public Task<CommandResult> RunAsync(ParsedCommand command, Caller caller, CancellationToken cancellationToken) => command switch
    {
        ParsedRequest parsed => RunAsync(parsed.Request, caller, cancellationToken),
        CommandUsage usage => Task.FromResult(ProblemReply.Result("How to use this command", usage.Message)),
        UnknownCommand unknown => Task.FromResult(ProblemReply.Result(
            "Unknown command",
            $"There is no command `/{MarkdownText.Escape(TextClip.Clip(unknown.Name, 40))}`. Try `/help` to see what I can do.")),
        _ => throw new ArgumentOutOfRangeException(nameof(command), command, "Unknown parse result."),
    };

    /// <summary>Runs the request behind a pressed button; an id this version does not know gets a problem reply.</summary>
    public Task<CommandResult> RunActionAsync(string actionId, Caller caller, CancellationToken cancellationToken) =>
        ReplyActions.Parse(actionId) is { } request
            ? RunAsync(request, caller, cancellationToken)
            : Task.FromResult(ProblemReply.Result("This button no longer works", "It belongs to an older version of the tutor. Try the command again, e.g. `/quiz` or `/help`."));

    [LoggerMessage(Level = LogLevel.Debug, Message = "Handled {Command} for {Platform} user {User} in {ElapsedMs:0.0} ms")]
    private partial void LogHandled(string command, Platform platform, string user, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Request} for {Platform} user {User} failed after {ElapsedMs:0.0} ms")]
    private partial void LogFailed(Exception exception, string request, Platform platform, string user, double elapsedMs);
}
