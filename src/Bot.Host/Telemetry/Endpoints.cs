using Bot.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Bot.Host.Telemetry;

/// <summary>The bot's metrics and traces through OpenTelemetry, as .NET services do it.</summary>
internal static class Endpoints
{
    public const string MetricsPath = "/metrics";

    /// <summary>The <c>service.name</c> every metric and span carries.</summary>
    public const string ServiceName = "tutor-bot";

    /// <summary>
    /// Metrics scraped by Prometheus at <c>/metrics</c> (on the app port, or on <c>Metrics:Urls</c>); metrics
    /// and traces pushed over OTLP too when the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the
    /// exporter reads the other <c>OTEL_*</c> variables itself). Traces exist only then: with nowhere to
    /// send them, no span is recorded.
    /// </summary>
    public static void AddBotTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MetricsOptions>().BindConfiguration(MetricsOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<MetricsOptions>, MetricsOptionsValidator>();
        var otlp = !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var telemetry = services.AddOpenTelemetry().ConfigureResource(resource => resource.AddService(ServiceName)).WithMetrics(meters =>
        {
            meters.AddMeter(BotMetrics.MeterName).AddPrometheusExporter();
            if (otlp)
            {
                meters.AddOtlpExporter();
            }
        });
        if (otlp)
        {
            telemetry.WithTracing(tracing => tracing
                .AddSource(BotMetrics.MeterName)
                .AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.Filter = context => context.Request.Path.StartsWithSegments("/discord") || context.Request.Path.StartsWithSegments("/slack"))
                .AddOtlpExporter());
        }

        if (HasOwnListener(configuration))
        {
            services.AddHostedService<MetricsListener>();
        }
    }

    /// <summary>Serves <c>/metrics</c> on the app port unless <c>Metrics:Urls</c> gives it a listener of its own.</summary>
    public static WebApplication MapBotMetrics(this WebApplication app)
    {
        // From the configuration, not the options: a bad value is reported by the validation at start, with the other errors.
        if (!HasOwnListener(app.Configuration))
        {
            app.MapPrometheusScrapingEndpoint(MetricsPath);
        }

        return app;
    }

    private static bool HasOwnListener(IConfiguration configuration) =>
        new MetricsOptions { Urls = configuration[$"{MetricsOptions.Section}:{nameof(MetricsOptions.Urls)}"] }.UrlList.Count > 0;
}
