using Bot.Adapters.Connections;
using Bot.Core;
using Bot.Discord.Rest;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Discord.Commands;

/// <summary>
/// Replaces the application's command set at start (per guild when <c>Discord:GuildIds</c> is set, which
/// Discord applies at once; globally otherwise). A transient failure is retried with backoff; a
/// permanent one (a wrong token or application id) is reported with its fix.
/// </summary>
public sealed partial class CommandRegistration(
    DiscordRestClient rest,
    IOptions<DiscordOptions> options,
    [FromKeyedServices(Platform.Discord)] ConnectionStatus status,
    TimeProvider time,
    ILogger<CommandRegistration> logger) : BackgroundService
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan MaxRetry = TimeSpan.FromMinutes(5);

    private readonly TaskCompletionSource _registered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the commands are registered everywhere they should be.</summary>
    public Task Registered => _registered.Task;

    public bool IsRegistered => _registered.Task.IsCompletedSuccessfully;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Off the start-up thread at once, so the host goes on starting while this talks to Discord.
        await Task.Yield();
        var settings = options.Value;
        var invite = DiscordCommands.InviteUrl(settings.ApplicationId!);
        LogInvite(invite.AbsoluteUri);
        var commands = DiscordCommands.All.Cast<object>().ToList();
        var retry = FirstRetry;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (settings.GuildIds.Count == 0)
                {
                    await rest.BulkOverwriteGlobalCommandsAsync(commands, stoppingToken);
                    LogRegistered(commands.Count, "globally (Discord may take a while to show new ones)");
                }
                else
                {
                    foreach (var guild in settings.GuildIds)
                    {
                        await rest.BulkOverwriteGuildCommandsAsync(guild, commands, stoppingToken);
                        var scope = "in guild " + guild;
                        LogRegistered(commands.Count, scope);
                    }
                }

                _registered.TrySetResult();
                return;
            }
            catch (DiscordApiException exception) when (exception.IsPermanent)
            {
                var fix = exception.StatusCode == System.Net.HttpStatusCode.Unauthorized
                    ? $"Discord rejected the bot token: {DiscordOptions.TokenFix}."
                    : $"Discord refused the command registration ({exception.Message}): check Discord__ApplicationId and, for GuildIds, that the bot was added to each server with the applications.commands scope.";
                LogRegistrationFailed(exception, fix);
                status.Failed(fix);
                return;
            }
            catch (Exception exception) when (exception is HttpRequestException or DiscordApiException or TaskCanceledException && !stoppingToken.IsCancellationRequested)
            {
                LogRetrying(exception, retry);
                await Task.Delay(retry, time, stoppingToken);
                retry = TimeSpan.FromTicks(Math.Min(MaxRetry.Ticks, retry.Ticks * 2));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Add the bot to a server with {InviteUrl}")]
    private partial void LogInvite(string inviteUrl);

    [LoggerMessage(Level = LogLevel.Information, Message = "Registered {Count} Discord commands {Scope}")]
    private partial void LogRegistered(int count, string scope);

    [LoggerMessage(Level = LogLevel.Error, Message = "Discord command registration failed for good: {Fix}")]
    private partial void LogRegistrationFailed(Exception exception, string fix);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord command registration failed; retrying in {Retry}")]
    private partial void LogRetrying(Exception exception, TimeSpan retry);
}
