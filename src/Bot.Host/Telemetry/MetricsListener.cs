using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace Bot.Host.Telemetry;

/// <summary>
/// <c>/metrics</c> on a Kestrel listener of its own (<c>Metrics:Urls</c>), serving nothing else, so that
/// the scrape endpoint stays private while the interactions endpoint is public. It reads the main
/// host's meters.
/// </summary>
internal sealed partial class MetricsListener(
    IOptions<MetricsOptions> options,
    MeterProvider meters,
    ILoggerFactory loggerFactory,
    ILogger<MetricsListener> logger) : IHostedService, IAsyncDisposable
{
    private WebApplication? _app;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.WebHost.UseUrls([.. options.Value.UrlList]);
        var app = builder.Build();
        app.UseOpenTelemetryPrometheusScrapingEndpoint(meters, predicate: null, path: Endpoints.MetricsPath, configureBranchedPipeline: null, optionsName: null);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        _app = app;
        var addresses = string.Join(", ", app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? []);
        LogListening(addresses);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync().ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Metrics served at {Addresses}")]
    private partial void LogListening(string addresses);
}
