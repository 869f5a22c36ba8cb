using Bot.Discord.Tests.Fakes;

namespace Bot.Discord.Tests.EndToEnd;

/// <summary>How the end-to-end tests configure <c>bot serve</c> for Discord.</summary>
internal static class DiscordServe
{
    public static Uri InteractionsUrl(this BotServer server) => new(server.BaseUrl, "/discord/interactions");

    /// <summary>Environment for the Discord adapter against <paramref name="discord"/>; add or override keys as needed.</summary>
    public static Dictionary<string, string> Environment(FakeDiscord discord, string transport, InteractionSigner? signer = null)
    {
        var environment = new Dictionary<string, string>
        {
            ["Discord__BotToken"] = FakeDiscord.BotToken,
            ["Discord__ApplicationId"] = FakeDiscord.ApplicationId,
            ["Discord__ApiBaseUrl"] = discord.ApiBaseUrl.ToString(),
            ["Discord__Transport"] = transport,
            ["Content__Watch"] = "false",
        };
        if (signer is not null)
        {
            environment["Discord__PublicKey"] = signer.PublicKeyHex;
        }

        return environment;
    }

}
