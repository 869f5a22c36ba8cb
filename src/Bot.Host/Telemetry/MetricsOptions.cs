using Microsoft.Extensions.Options;

namespace Bot.Host.Telemetry;

/// <summary>The <c>Metrics</c> section: where Prometheus scrapes the bot.</summary>
public sealed class MetricsOptions
{
    public const string Section = "Metrics";

    /// <summary>
    /// Addresses of a listener of its own for <c>/metrics</c>, separated by semicolons like
    /// <c>ASPNETCORE_URLS</c> (e.g. <c>http://127.0.0.1:9464</c>); then the app port does not serve it, so it can stay
    /// private behind a public interactions URL. Empty: <c>/metrics</c> on the app port.
    /// </summary>
    public string? Urls { get; set; }

    public IReadOnlyList<string> UrlList =>
        string.IsNullOrWhiteSpace(Urls) ? [] : Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>Rejects addresses Kestrel could not listen on, naming the key.</summary>
internal sealed class MetricsOptionsValidator : IValidateOptions<MetricsOptions>
{
    public ValidateOptionsResult Validate(string? name, MetricsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var wrong = options.UrlList
            .Where(url => !Uri.TryCreate(url.Replace("://*", "://localhost", StringComparison.Ordinal).Replace("://+", "://localhost", StringComparison.Ordinal), UriKind.Absolute, out var uri)
                || uri.Scheme is not ("http" or "https"))
            .ToList();
        return wrong.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(wrong.Select(url =>
                $"{MetricsOptions.Section}:Urls has '{LogTextFor(url)}', which is not an http:// or https:// address; use e.g. http://127.0.0.1:9464 (several separated by ';')."));
    }

    private static string LogTextFor(string url) => url.Length <= 80 ? url : url[..80] + "…";
}
