using Bot.Core.Knowledge;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Host.Content;

public static class ContentServiceCollectionExtensions
{
    /// <summary>The knowledge base from <c>Content:Path</c>, loaded at start (an invalid one stops the start) and hot-reloaded.</summary>
    /// <param name="configuration">When given, loading begins at once from the path it names now, so that it runs while the rest of the host is built.</param>
    public static IServiceCollection AddContent(this IServiceCollection services, IConfiguration? configuration = null)
    {
        if (configuration is not null)
        {
            var path = configuration[$"{ContentOptions.Section}:{nameof(ContentOptions.Path)}"];
            services.AddSingleton(EarlyContentLoad.Start(string.IsNullOrWhiteSpace(path) ? new ContentOptions().Path : path));
        }

        services.AddOptions<ContentOptions>()
            .BindConfiguration(ContentOptions.Section)
            .Validate(options => !string.IsNullOrWhiteSpace(options.Path), "Content:Path must name the content folder.")
            .Validate(options => options.ReloadDelay >= TimeSpan.Zero && options.ReloadDelay <= TimeSpan.FromSeconds(10),
                "Content:ReloadDelay must be between 00:00:00 and 00:00:10.")
            .ValidateOnStart();
        services.AddSingleton<ContentService>();
        services.AddSingleton<IKnowledgeBaseSource>(provider => provider.GetRequiredService<ContentService>());
        services.AddHostedService(provider => provider.GetRequiredService<ContentService>());
        return services;
    }
}
