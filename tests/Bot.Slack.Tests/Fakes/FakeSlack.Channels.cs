using System.Globalization;
using System.Text.Json.Nodes;

namespace Bot.Slack.Tests.Fakes;

public sealed partial class FakeSlack
{
    private readonly Dictionary<string, ChannelState> _channels = new(StringComparer.Ordinal);
    private readonly List<FakeSlackEphemeral> _ephemerals = [];
    private long _tsCounter;

    /// <summary>Ephemeral messages (<c>chat.postEphemeral</c> and ephemeral response_url posts), oldest first (a snapshot).</summary>
    public IReadOnlyList<FakeSlackEphemeral> Ephemerals
    {
        get
        {
            lock (_gate)
            {
                return _ephemerals.ToList();
            }
        }
    }

    /// <summary>
    /// Adds a channel (or changes the bot's membership of one). Unknown channels answer <c>channel_not_found</c>; a public
    /// channel the bot is not in answers <c>not_in_channel</c>, a private one <c>channel_not_found</c> (the bot cannot see it).
    /// <paramref name="isPrivate"/> makes a new channel private (default public); null leaves an existing channel's kind as it is.
    /// </summary>
    public void AddChannel(string channelId, bool botIsMember = true, bool? isPrivate = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(channelId);
        lock (_gate)
        {
            if (!_channels.TryGetValue(channelId, out var channel))
            {
                channel = new ChannelState(channelId);
                _channels[channelId] = channel;
            }

            channel.BotIsMember = botIsMember;
            channel.IsPrivate = isPrivate ?? channel.IsPrivate;
        }
    }

    /// <summary>Top-level messages in <paramref name="channelId"/>, oldest first, each with its thread replies (a snapshot; empty for an unknown channel).</summary>
    public IReadOnlyList<FakeSlackMessage> Messages(string channelId)
    {
        lock (_gate)
        {
            return _channels.TryGetValue(channelId, out var channel)
                ? channel.Messages.Select(message => message.Snapshot()).ToList()
                : [];
        }
    }

    /// <summary>Seeds a message from a person (not the bot), e.g. to start a thread; returns its ts.</summary>
    public string AddUserMessage(string channelId, string userId, string text, string? threadTs = null)
    {
        lock (_gate)
        {
            if (!_channels.TryGetValue(channelId, out var channel))
            {
                throw new InvalidOperationException($"Unknown channel {channelId}; call AddChannel first.");
            }

            var ts = NextTs();
            var message = new JsonObject
            {
                ["type"] = "message",
                ["user"] = userId,
                ["text"] = text,
                ["ts"] = ts,
                ["team"] = TeamId,
            };
            var parent = threadTs is null ? null : channel.Messages.FirstOrDefault(m => m.Ts == threadTs)
                ?? throw new InvalidOperationException($"No top-level message {threadTs} in {channelId}.");
            StoreMessage(channel, message, ts, parent);
            return ts;
        }
    }

    // Caller holds _gate.
    private string NextTs()
    {
        var counter = ++_tsCounter;
        var seconds = 1_700_000_000 + (counter / 1_000_000);
        return string.Create(CultureInfo.InvariantCulture, $"{seconds}.{counter % 1_000_000:D6}");
    }

    // Caller holds _gate.
    private MessageState StoreMessage(ChannelState channel, JsonObject message, string ts, MessageState? parent)
    {
        var state = new MessageState(ts, channel.Id, message);
        if (parent is null)
        {
            channel.Messages.Add(state);
        }
        else
        {
            message["thread_ts"] = parent.Ts;
            parent.Current["thread_ts"] = parent.Ts;
            parent.Replies.Add(state);
            parent.Current["reply_count"] = parent.Replies.Count;
            parent.Current["latest_reply"] = ts;
        }

        return state;
    }

    // Caller holds _gate.
    private MessageState? FindMessage(ChannelState channel, string ts)
    {
        foreach (var message in channel.Messages)
        {
            if (message.Ts == ts)
            {
                return message;
            }

            var reply = message.Replies.FirstOrDefault(r => r.Ts == ts);
            if (reply is not null)
            {
                return reply;
            }
        }

        return null;
    }

    // Caller holds _gate.
    private bool DeleteMessage(ChannelState channel, string ts)
    {
        if (channel.Messages.RemoveAll(m => m.Ts == ts) > 0)
        {
            return true;
        }

        foreach (var message in channel.Messages)
        {
            if (message.Replies.RemoveAll(r => r.Ts == ts) > 0)
            {
                message.Current["reply_count"] = message.Replies.Count;
                return true;
            }
        }

        return false;
    }

    private JsonObject NewBotMessage(string ts, string? text, JsonNode? blocks, JsonNode? metadata)
    {
        var message = new JsonObject
        {
            ["type"] = "message",
            ["subtype"] = "bot_message",
            ["text"] = text ?? string.Empty,
            ["user"] = BotUserId,
            ["bot_id"] = BotId,
            ["app_id"] = AppId,
            ["team"] = TeamId,
            ["ts"] = ts,
        };
        if (blocks is not null)
        {
            message["blocks"] = WithBlockIds(blocks);
        }

        if (metadata is not null)
        {
            message["metadata"] = metadata.DeepClone();
        }

        return message;
    }

    // Slack fills in a block_id for blocks sent without one.
    private static JsonNode WithBlockIds(JsonNode blocks)
    {
        var copy = blocks.DeepClone();
        if (copy is JsonArray array)
        {
            var index = 0;
            foreach (var block in array.OfType<JsonObject>())
            {
                index++;
                if (block["block_id"] is null)
                {
                    block["block_id"] = string.Create(CultureInfo.InvariantCulture, $"fake{index}");
                }
            }
        }

        return copy;
    }

    private sealed class ChannelState(string id)
    {
        public string Id { get; } = id;

        public bool BotIsMember { get; set; }

        public bool IsPrivate { get; set; }

        public List<MessageState> Messages { get; } = [];
    }

    private sealed class MessageState(string ts, string channel, JsonObject current)
    {
        public string Ts { get; } = ts;

        public string Channel { get; } = channel;

        public JsonObject Current { get; set; } = current;

        public int EditCount { get; set; }

        public List<MessageState> Replies { get; } = [];

        public FakeSlackMessage Snapshot() =>
            new(Ts, Channel, (JsonObject)Current.DeepClone(), EditCount, Replies.Select(reply => reply.Snapshot()).ToList());
    }
}
