using Bot.Adapters;
using Bot.Adapters.Connections;
using Bot.Core;
using Bot.Core.Quiz;
using Bot.Slack.Daily;
using Bot.Slack.Http;
using Bot.Slack.Interactions;
using Bot.Slack.SocketMode;
using Bot.Slack.WebApi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Bot.Slack;

public static class SlackServiceCollectionExtensions
{
    /// <summary>True when the configuration has a Slack bot token, i.e. the adapter should run.</summary>
    public static bool IsConfigured(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return !string.IsNullOrWhiteSpace(configuration[$"{SlackOptions.Section}:{nameof(SlackOptions.BotToken)}"]);
    }

    /// <summary>
    /// The Slack adapter, when <c>Slack:BotToken</c> is set: options validated at start, the Web API client,
    /// the pipeline, Socket Mode (with <c>Slack:AppToken</c>) and/or <c>POST /slack/events</c> (with
    /// <c>Slack:SigningSecret</c>, mapped by <see cref="MapSlack"/>), and a readiness check.
    /// </summary>
    public static IServiceCollection AddSlack(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (!IsConfigured(configuration))
        {
            return services;
        }

        services.AddOptions<SlackOptions>().BindConfiguration(SlackOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SlackOptions>, SlackOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<InFlightWork>();
        services.AddKeyedSingleton<ConnectionStatus>(Platform.Slack);
        services.AddSlackWebApi();
        services.AddTransient<Doctor.SlackDoctor>();
        services.AddSingleton<SlackPipeline>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDailyQuizPublisher, SlackDailyPublisher>());
        services.AddHealthChecks().AddCheck<SlackHealthCheck>("slack");

        if (!string.IsNullOrWhiteSpace(configuration[$"{SlackOptions.Section}:{nameof(SlackOptions.SigningSecret)}"]))
        {
            services.TryAddSingleton<SignedWebhook>();
            services.AddSingleton<SlackEventsEndpoint>();
        }

        if (!string.IsNullOrWhiteSpace(configuration[$"{SlackOptions.Section}:{nameof(SlackOptions.AppToken)}"]))
        {
            services.AddSingleton<ISocketModeUrlSource, SocketModeUrlSource>();
            services.AddSingleton<ISocketModeHandler, SlackSocketModeHandler>();
            services.AddHostedService<SocketModeClient>();
        }

        return services;
    }

    /// <summary>Maps <c>POST /slack/events</c> when a signing secret is configured; otherwise nothing.</summary>
    public static IEndpointRouteBuilder MapSlack(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        // Resolved per request, not here: building it reads the options, which are validated (and reported) at start.
        if (endpoints.ServiceProvider.GetService<IServiceProviderIsService>()?.IsService(typeof(SlackEventsEndpoint)) == true)
        {
            endpoints.MapPost(SlackEventsEndpoint.Path, context => context.RequestServices.GetRequiredService<SlackEventsEndpoint>().HandleAsync(context));
        }

        return endpoints;
    }
}
