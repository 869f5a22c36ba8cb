using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Bot.Core;
using Bot.Core.Quiz;
using Bot.Core.Replies;
using Bot.Discord.Commands;
using Bot.Discord.Rendering;
using Bot.Discord.Rest;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Discord.Daily;

/// <summary>
/// Posts the daily question to a Discord channel and reveals it by editing the post. Each post carries
/// its slot twice: as an idempotency nonce (a retry within minutes returns the same message) and in
/// the embed footer, so that a process restarted after a crash finds the post among the channel's
/// recent messages instead of posting again.
/// </summary>
public sealed partial class DiscordDailyPublisher(DiscordRestClient rest, IOptions<DiscordOptions> options, ILogger<DiscordDailyPublisher> logger) : IDailyQuizPublisher
{
    /// <summary>How far back a restarted process looks for its own post; a channel rarely moves faster than this between a crash and a restart.</summary>
    public const int RecentMessagesSearched = 100;

    private const int MaxNonceLength = 25;

    public Platform Platform => Platform.Discord;

    public async Task<string> PostAsync(ChannelTarget target, DateTimeOffset slot, Reply question, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(question);
        var marker = Marker(slot);
        return await CallAsync(target, async () =>
        {
            if (await FindPostAsync(target.Channel, marker, cancellationToken).ConfigureAwait(false) is { } existing)
            {
                LogFound(target.Key, existing);
                return existing;
            }

            var messages = DiscordRenderer.Render(question);
            string? last = null;
            for (var index = 0; index < messages.Count; index++)
            {
                var message = messages[index] with { Nonce = Nonce(target, slot, index), EnforceNonce = true };
                if (index == messages.Count - 1)
                {
                    message = WithFooter(message, marker);
                }

                last = (await rest.CreateMessageAsync(target.Channel, message, cancellationToken).ConfigureAwait(false)).Id;
            }

            return last!;
        }).ConfigureAwait(false);
    }

    public Task RevealAsync(ChannelTarget target, string messageId, Reply reveal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(reveal);
        // Editing is idempotent, so a retried reveal changes nothing; only the first rendered message
        // fits in the post, and a reveal is short by design.
        var message = DiscordRenderer.Render(reveal)[0];
        return CallAsync(target, async () =>
        {
            await rest.EditMessageAsync(target.Channel, messageId, message, cancellationToken).ConfigureAwait(false);
            return messageId;
        });
    }

    /// <summary>The footer that marks a post as this slot's; also what a restarted process looks for.</summary>
    public static string Marker(DateTimeOffset slot) =>
        "Daily quiz · " + slot.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private async Task<string?> FindPostAsync(string channelId, string marker, CancellationToken cancellationToken)
    {
        var recent = await rest.GetChannelMessagesAsync(channelId, RecentMessagesSearched, cancellationToken).ConfigureAwait(false);
        return recent.FirstOrDefault(message => HasFooter(message.Embeds, marker))?.Id;
    }

    private static bool HasFooter(JsonElement embeds, string marker) =>
        embeds.ValueKind == JsonValueKind.Array && embeds.EnumerateArray().Any(embed =>
            embed.TryGetProperty("footer", out var footer) && footer.TryGetProperty("text", out var text) && text.GetString() == marker);

    private static DiscordMessage WithFooter(DiscordMessage message, string marker)
    {
        if (message.Embeds is not { Count: > 0 } embeds)
        {
            return message with { Embeds = [new DiscordEmbed { Footer = new DiscordEmbedFooter(marker) }] };
        }

        return message with { Embeds = [.. embeds.Take(embeds.Count - 1), embeds[^1] with { Footer = new DiscordEmbedFooter(marker) }] };
    }

    /// <summary>At most 25 characters, the same for every attempt at this part of this slot's post.</summary>
    private static string Nonce(ChannelTarget target, DateTimeOffset slot, int part)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{target.Key}|{slot.ToUnixTimeSeconds()}|{part}"));
        return ("dq" + Convert.ToHexStringLower(hash))[..MaxNonceLength];
    }

    private async Task<string> CallAsync(ChannelTarget target, Func<Task<string>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (DiscordApiException exception) when (exception.IsPermanent)
        {
            var fix = exception switch
            {
                { IsUnknownChannel: true } => $"channel {target.Channel} does not exist or the bot cannot see it: check DailyQuiz:Targets (Developer Mode, right-click the channel, Copy Channel ID)",
                { IsMissingAccess: true } or { IsMissingPermissions: true } =>
                    $"the bot may not post in channel {target.Channel}: give it View Channel, Send Messages, Embed Links and Read Message History there, or add it again with {DiscordCommands.InviteUrl(options.Value.ApplicationId ?? "")}",
                { StatusCode: System.Net.HttpStatusCode.Unauthorized } => "Discord rejected the bot token: " + DiscordOptions.TokenFix,
                _ => $"Discord refused the post: {exception.Message}",
            };
            throw new PermanentPublishException($"Daily quiz for {target.Key}: {fix}.", exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Daily quiz: {Target} already has this slot's post {MessageId} (posted before a restart); not posting again")]
    private partial void LogFound(string target, string messageId);
}
