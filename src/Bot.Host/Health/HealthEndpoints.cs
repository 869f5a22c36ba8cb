using System.Text.Json;
using Bot.Host.Content;
using Bot.Host.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Bot.Host.Health;

public static class HealthEndpoints
{
    public const string LivenessPath = "/healthz";
    public const string ReadinessPath = "/readyz";

    /// <summary>Readiness of the parts every host has; adapters add a check for their platform connection.</summary>
    public static IServiceCollection AddBotHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<ContentHealthCheck>("content")
            .AddCheck<StorageHealthCheck>("storage");
        return services;
    }

    /// <summary>
    /// <c>/healthz</c>: 200 while the process serves requests (no checks run). <c>/readyz</c>: every check,
    /// 200 when all pass, else 503; both answer with a JSON body that names each part and its state.
    /// </summary>
    public static IEndpointRouteBuilder MapBotHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks(LivenessPath, new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteJsonAsync });
        endpoints.MapHealthChecks(ReadinessPath, new HealthCheckOptions { ResponseWriter = WriteJsonAsync });
        return endpoints;
    }

    /// <summary>
    /// <c>{"status": …, "checks": {name: {"status": …, "detail": …}}}</c>, written directly rather than by
    /// serializing an anonymous object: reflection-based serialization cost the first <c>/readyz</c> about
    /// 20 ms of building serializer metadata and compiling accessors, on the way to being ready.
    /// </summary>
    private static async Task WriteJsonAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        await using (var json = new Utf8JsonWriter(context.Response.Body))
        {
            json.WriteStartObject();
            json.WriteString("status", report.Status.ToString());
            json.WriteStartObject("checks");
            foreach (var (name, entry) in report.Entries)
            {
                json.WriteStartObject(name);
                json.WriteString("status", entry.Status.ToString());
                json.WriteString("detail", entry.Description);
                json.WriteEndObject();
            }

            json.WriteEndObject();
            json.WriteEndObject();
            await json.FlushAsync(context.RequestAborted);
        }
    }
}

internal sealed class ContentHealthCheck(ContentService content) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(content.IsLoaded
            ? HealthCheckResult.Healthy($"{content.Current.Concepts.Count} concepts loaded")
            : HealthCheckResult.Unhealthy("the knowledge base is not loaded yet"));
}

internal sealed class StorageHealthCheck(IStorageDatabase database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var version = await database.SchemaVersionAsync(cancellationToken);
            return version == IStorageDatabase.LatestVersion
                ? HealthCheckResult.Healthy($"schema version {version}")
                : HealthCheckResult.Unhealthy($"schema version {version}, expected {IStorageDatabase.LatestVersion}");
        }
        catch (System.Data.Common.DbException exception)
        {
            return HealthCheckResult.Unhealthy($"the database cannot be read: {exception.Message}");
        }
    }
}
