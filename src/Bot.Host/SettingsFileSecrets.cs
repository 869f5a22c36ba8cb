using Bot.Discord;
using Bot.Host.Storage;
using Bot.Slack;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;

namespace Bot.Host;

/// <summary>
/// Secrets belong in the environment or in <c>/run/secrets</c>, never in a settings file that ends up in
/// a repository or an image; one found there stops the start with where it should go instead.
/// </summary>
internal static class SettingsFileSecrets
{
    public static IReadOnlyList<string> SecretKeys { get; } = [.. DiscordOptions.SecretKeys, .. SlackOptions.SecretKeys, .. StorageOptions.SecretKeys];

    public static IReadOnlyList<string> Find(IConfiguration configuration) =>
        configuration is not IConfigurationRoot root
            ? []
            : [.. from key in SecretKeys
                  from provider in root.Providers.OfType<JsonConfigurationProvider>()
                  where provider.TryGet(key, out var value) && !string.IsNullOrEmpty(value)
                  let variable = key.Replace(":", "__", StringComparison.Ordinal)
                  select $"{key} is in {provider.Source.Path}, which is not a place for secrets: remove it there and set the environment variable {variable}, or a file {BotHost.SecretsDirectory}/{variable}."];
}
