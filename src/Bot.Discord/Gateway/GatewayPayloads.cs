using System.Buffers;
using System.Text.Json;

namespace Bot.Discord.Gateway;

/// <summary>Gateway opcodes this client sends or handles.</summary>
internal static class GatewayOpcode
{
    public const int Dispatch = 0;
    public const int Heartbeat = 1;
    public const int Identify = 2;
    public const int Resume = 6;
    public const int Reconnect = 7;
    public const int InvalidSession = 9;
    public const int Hello = 10;
    public const int HeartbeatAck = 11;
}

/// <summary>The payloads this client sends, written straight to UTF-8.</summary>
internal static class GatewayPayloads
{
    public const string LibraryName = "tutor-bot";

    public static ReadOnlyMemory<byte> Heartbeat(long? sequence) => Write(writer =>
    {
        writer.WriteNumber("op", GatewayOpcode.Heartbeat);
        if (sequence is long value)
        {
            writer.WriteNumber("d", value);
        }
        else
        {
            writer.WriteNull("d");
        }
    });

    /// <summary>Intents 0: slash commands arrive as <c>INTERACTION_CREATE</c>, which no intent gates.</summary>
    public static ReadOnlyMemory<byte> Identify(string token, int? shardId, int? shardCount) => Write(writer =>
    {
        writer.WriteNumber("op", GatewayOpcode.Identify);
        writer.WriteStartObject("d");
        writer.WriteString("token", token);
        writer.WriteNumber("intents", 0);
        writer.WriteStartObject("properties");
        writer.WriteString("os", "linux");
        writer.WriteString("browser", LibraryName);
        writer.WriteString("device", LibraryName);
        writer.WriteEndObject();
        if (shardId is int id && shardCount is int count)
        {
            writer.WriteStartArray("shard");
            writer.WriteNumberValue(id);
            writer.WriteNumberValue(count);
            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    });

    public static ReadOnlyMemory<byte> Resume(string token, string sessionId, long? sequence) => Write(writer =>
    {
        writer.WriteNumber("op", GatewayOpcode.Resume);
        writer.WriteStartObject("d");
        writer.WriteString("token", token);
        writer.WriteString("session_id", sessionId);
        if (sequence is long value)
        {
            writer.WriteNumber("seq", value);
        }
        else
        {
            writer.WriteNull("seq");
        }

        writer.WriteEndObject();
    });

    private static ReadOnlyMemory<byte> Write(Action<Utf8JsonWriter> writeBody)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writeBody(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenMemory;
    }
}
