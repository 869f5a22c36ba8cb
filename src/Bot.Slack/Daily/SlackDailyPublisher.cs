using System.Globalization;
using System.Text.Json;
using Bot.Core;
using Bot.Core.Quiz;
using Bot.Core.Replies;
using Bot.Slack.Rendering;
using Bot.Slack.WebApi;
using Microsoft.Extensions.Logging;

namespace Bot.Slack.Daily;

/// <summary>
/// Posts the daily question to a Slack channel and reveals it by editing the post and telling its thread.
/// Both the post and the thread reply carry message metadata naming their slot, so a process restarted
/// after a crash finds what Slack already accepted (in the channel history or the thread) instead of
/// posting again.
/// </summary>
public sealed partial class SlackDailyPublisher(SlackWebApiClient slack, ILogger<SlackDailyPublisher> logger) : IDailyQuizPublisher
{
    /// <summary>The metadata <c>event_type</c> of a daily question post.</summary>
    public const string QuizEventType = "tutor_daily_quiz";

    /// <summary>The metadata <c>event_type</c> of the thread reply that announces the answer.</summary>
    public const string RevealEventType = "tutor_daily_reveal";

    /// <summary>The <c>event_payload</c> field holding <see cref="SlotKey"/>.</summary>
    public const string SlotField = "slot";

    /// <summary>How far back a restarted process looks for its own post; a channel rarely moves faster than this between a crash and a restart.</summary>
    public const int RecentMessagesSearched = 100;

    /// <summary>How much of a thread is read to find the reveal reply; Slack's largest page, since people reply before the reveal.</summary>
    public const int ThreadMessagesSearched = 999;

    public Platform Platform => Platform.Slack;

    public async Task<string> PostAsync(ChannelTarget target, DateTimeOffset slot, Reply question, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(question);
        var key = SlotKey(target, slot);
        return await CallAsync(target, async () =>
        {
            var recent = await slack.HistoryAsync(target.Channel, RecentMessagesSearched, includeAllMetadata: true, cancellationToken).ConfigureAwait(false);
            if (recent.FirstOrDefault(message => Payload(message.Metadata, QuizEventType) is { } payload && payload.GetValueOrDefault(SlotField) == key) is { } existing)
            {
                LogFound(target.Key, existing.Ts);
                return existing.Ts;
            }

            var messages = SlackRenderer.Render(question);
            var metadata = new SlackMetadata(QuizEventType, new Dictionary<string, string>(StringComparer.Ordinal) { [SlotField] = key });
            var posted = await slack.PostMessageAsync(messages[0] with { Channel = target.Channel, Metadata = metadata }, cancellationToken).ConfigureAwait(false);
            // A question too long for one message goes on in the thread, so the channel shows one post per slot.
            foreach (var continuation in messages.Skip(1))
            {
                await slack.PostMessageAsync(continuation with { Channel = target.Channel, ThreadTs = posted.Ts }, cancellationToken).ConfigureAwait(false);
            }

            return posted.Ts;
        }).ConfigureAwait(false);
    }

    public Task RevealAsync(ChannelTarget target, string messageId, Reply reveal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentException.ThrowIfNullOrWhiteSpace(messageId);
        ArgumentNullException.ThrowIfNull(reveal);
        // Only the first rendered message fits in the post; a reveal is short by design.
        var rendered = SlackRenderer.Render(reveal)[0];
        return CallAsync(target, async () =>
        {
            var thread = await slack.RepliesAsync(target.Channel, messageId, ThreadMessagesSearched, includeAllMetadata: true, cancellationToken).ConfigureAwait(false);
            var post = thread.FirstOrDefault(message => message.Ts == messageId);
            var postPayload = Payload(post?.Metadata, QuizEventType);
            // chat.update is sent with the post's metadata again, so that the edited post stays findable by its slot.
            var kept = postPayload is null ? null : new SlackMetadata(QuizEventType, postPayload);
            await slack.UpdateMessageAsync(rendered with { Channel = target.Channel, Ts = messageId, Metadata = kept }, cancellationToken).ConfigureAwait(false);

            if (thread.Any(message => message.Ts != messageId && Payload(message.Metadata, RevealEventType) is not null))
            {
                return messageId;
            }

            var revealPayload = new Dictionary<string, string>(StringComparer.Ordinal) { ["post"] = messageId };
            if (postPayload?.GetValueOrDefault(SlotField) is { } key)
            {
                revealPayload[SlotField] = key;
            }

            var reply = new SlackMessage
            {
                Channel = target.Channel,
                ThreadTs = messageId,
                Text = rendered.Text,
                Metadata = new SlackMetadata(RevealEventType, revealPayload),
            };
            await slack.PostMessageAsync(reply, cancellationToken).ConfigureAwait(false);
            return messageId;
        });
    }

    /// <summary>What a post's metadata names it by: the slot in UTC ISO-8601 and the target, e.g. <c>2026-12-01T09:00:00Z|slack:T01:C01</c>.</summary>
    public static string SlotKey(ChannelTarget target, DateTimeOffset slot)
    {
        ArgumentNullException.ThrowIfNull(target);
        return slot.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) + "|" + target.Key;
    }

    /// <summary>The string fields of <paramref name="metadata"/>'s <c>event_payload</c> when its <c>event_type</c> is <paramref name="eventType"/>; else null.</summary>
    private static Dictionary<string, string>? Payload(JsonElement? metadata, string eventType)
    {
        if (metadata is not { ValueKind: JsonValueKind.Object } element
            || !element.TryGetProperty("event_type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != eventType)
        {
            return null;
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        if (element.TryGetProperty("event_payload", out var payload) && payload.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in payload.EnumerateObject().Where(property => property.Value.ValueKind == JsonValueKind.String))
            {
                fields[property.Name] = property.Value.GetString()!;
            }
        }

        return fields;
    }

    private static async Task<string> CallAsync(ChannelTarget target, Func<Task<string>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (SlackApiException exception) when (exception.IsPermanent)
        {
            throw new PermanentPublishException($"Daily quiz for {target.Key}: {exception.Fix ?? exception.Message}", exception);
        }
        catch (SlackApiException exception) when (exception.Error == "thread_not_found")
        {
            // The post to reveal is gone (deleted, or the stored ts is wrong): no retry brings it back.
            throw new PermanentPublishException($"Daily quiz for {target.Key}: the post to reveal no longer exists in channel {target.Channel}", exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Daily quiz: {Target} already has this slot's post {MessageTs}, found after a restart; not posting again")]
    private partial void LogFound(string target, string messageTs);
}
