using Bot.Adapters.Connections;
using Bot.Core;
using Bot.Discord.Commands;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bot.Discord;

/// <summary>Ready when commands are registered and, in gateway mode, the gateway session is live.</summary>
internal sealed class DiscordHealthCheck(
    [FromKeyedServices(Platform.Discord)] ConnectionStatus status, CommandRegistration registration, IOptions<DiscordOptions> options)
    : ConnectionHealthCheck(status)
{
    protected override string ConnectionName => "gateway";

    protected override string? WaitingFor => registration.IsRegistered ? null : "registering slash commands";

    protected override string? WithoutConnection => options.Value.Transport == DiscordTransport.Http
        ? "HTTP interactions at /discord/interactions; commands registered"
        : null;
}
