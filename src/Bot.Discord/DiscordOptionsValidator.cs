using System.Globalization;
using Bot.Adapters;
using Microsoft.Extensions.Options;

namespace Bot.Discord;

/// <summary>Rejects an unusable <c>Discord</c> section at start, naming the key and the fix.</summary>
internal sealed class DiscordOptionsValidator : IValidateOptions<DiscordOptions>
{
    private const string Section = DiscordOptions.Section;

    public ValidateOptionsResult Validate(string? name, DiscordOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        var token = options.BotToken!.Trim();
        if (token.StartsWith("Bot ", StringComparison.OrdinalIgnoreCase))
        {
            failures.Add($"{Section}:BotToken starts with 'Bot '; give only the token itself (the Developer Portal's Bot page, Reset Token).");
        }
        else if (token.Any(char.IsWhiteSpace))
        {
            failures.Add($"{Section}:BotToken contains white space; copy the token again from the Developer Portal's Bot page.");
        }

        if (!IsSnowflake(options.ApplicationId))
        {
            failures.Add($"{Section}:ApplicationId must be the application's numeric id (Developer Portal, General Information, Application ID); set Discord__ApplicationId.");
        }

        if (options.Transport == DiscordTransport.Http && !IsHexKey(options.PublicKey))
        {
            failures.Add($"{Section}:PublicKey must be the 64-character hex Public Key from the Developer Portal's General Information page; HTTP interactions cannot be verified without it.");
        }

        if (!options.ApiBaseUrl.IsAbsoluteUri || options.ApiBaseUrl.Scheme is not ("https" or "http"))
        {
            failures.Add($"{Section}:ApiBaseUrl must be an absolute http(s) URL such as {DiscordOptions.DefaultApiBaseUrl}.");
        }

        failures.AddRange(options.Retry.Problems($"{Section}:Retry"));
        failures.AddRange(AnswerDeadline.Problems($"{Section}:AnswerWithin", options.AnswerWithin));
        failures.AddRange(options.GuildIds.Where(guild => !IsSnowflake(guild))
            .Select(guild => $"{Section}:GuildIds has '{guild}', which is not a guild id; use the numeric ids (Developer Mode, right-click the server, Copy Server ID)."));

        if (options.ShardId.HasValue != options.ShardCount.HasValue)
        {
            failures.Add($"{Section}:ShardId and {Section}:ShardCount go together; set both or neither.");
        }
        else if (options.ShardId is { } shard && options.ShardCount is { } count && (count < 1 || shard < 0 || shard >= count))
        {
            failures.Add($"{Section}:ShardId must be from 0 to ShardCount - 1, and ShardCount at least 1 (got {shard.ToString(CultureInfo.InvariantCulture)} of {count.ToString(CultureInfo.InvariantCulture)}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    internal static bool IsSnowflake(string? value) =>
        value is { Length: >= 15 and <= 21 } && value.All(char.IsAsciiDigit);

    private static bool IsHexKey(string? value) =>
        value is { Length: 64 } && value.All(char.IsAsciiHexDigit);
}
