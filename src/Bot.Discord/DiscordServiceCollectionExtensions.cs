using Bot.Adapters;
using Bot.Adapters.Connections;
using Bot.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Bot.Core.Quiz;
using Bot.Discord.Commands;
using Bot.Discord.Daily;
using Bot.Discord.Gateway;
using Bot.Discord.Interactions;
using Bot.Discord.Rest;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Bot.Discord;

public static class DiscordServiceCollectionExtensions
{
    /// <summary>True when the configuration has a Discord bot token, i.e. the adapter should run.</summary>
    public static bool IsConfigured(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return !string.IsNullOrWhiteSpace(configuration[$"{DiscordOptions.Section}:{nameof(DiscordOptions.BotToken)}"]);
    }

    /// <summary>
    /// The Discord adapter, when <c>Discord:BotToken</c> is set: options validated at start, the REST
    /// client, command registration, the interaction pipeline, the gateway (or the HTTP endpoint that
    /// <see cref="MapDiscord"/> maps), the daily-quiz publisher and a readiness check.
    /// </summary>
    public static IServiceCollection AddDiscord(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (!IsConfigured(configuration))
        {
            return services;
        }

        services.AddOptions<DiscordOptions>().BindConfiguration(DiscordOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DiscordOptions>, DiscordOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<InFlightWork>();
        services.AddKeyedSingleton<ConnectionStatus>(Platform.Discord);

        services.AddDiscordRest();
        services.AddTransient<Doctor.DiscordDoctor>();
        services.AddSingleton<IDiscordInteractionApi>(provider => provider.GetRequiredService<DiscordRestClient>());
        services.AddSingleton<InteractionPipeline>();
        services.AddSingleton<CommandRegistration>();
        // First of all hosted services: it needs nothing else, and its round trip to Discord then overlaps
        // loading the knowledge base instead of following it (start to ready is measured in bench/discord).
        services.Insert(0, ServiceDescriptor.Singleton<IHostedService>(provider => provider.GetRequiredService<CommandRegistration>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDailyQuizPublisher, DiscordDailyPublisher>());
        services.AddHealthChecks().AddCheck<DiscordHealthCheck>("discord");

        // A misspelt transport is reported by the options binder at start, naming the key; here it just means the default.
        if (Enum.TryParse<DiscordTransport>(configuration[$"{DiscordOptions.Section}:{nameof(DiscordOptions.Transport)}"], ignoreCase: true, out var transport)
            && transport == DiscordTransport.Http)
        {
            services.TryAddSingleton<SignedWebhook>();
            services.AddSingleton<InteractionEndpoint>();
        }
        else
        {
            services.AddSingleton<IGatewayDispatchHandler, InteractionDispatchHandler>();
            services.AddHostedService<GatewayClient>();
        }

        return services;
    }

    /// <summary>Maps <c>POST /discord/interactions</c> when the adapter runs in HTTP mode; otherwise nothing.</summary>
    public static IEndpointRouteBuilder MapDiscord(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        // Resolved per request, not here: building it reads the options, which are validated (and reported) at start.
        if (endpoints.ServiceProvider.GetService<IServiceProviderIsService>()?.IsService(typeof(InteractionEndpoint)) == true)
        {
            endpoints.MapPost(InteractionEndpoint.Path, context => context.RequestServices.GetRequiredService<InteractionEndpoint>().HandleAsync(context));
        }

        return endpoints;
    }
}
