using Microsoft.Extensions.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Bot.Host.Tests;

/// <summary>Every service each host registers can be built, with scopes and lifetimes checked.</summary>
public class ServiceRegistrationTests
{
    public static TheoryData<string, bool, string> Hosts => new()
    {
        { "chat", false, "Sqlite" },
        { "serve", false, "Sqlite" },
        { "serve", true, "Sqlite" },
        { "serve", false, "Postgres" },
    };

    [Theory]
    [MemberData(nameof(Hosts))]
    public void Container_EveryRegisteredService_Resolves(string verb, bool withDiscord, string storage)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Storage:Provider"] = storage,
            ["Storage:Path"] = Path.Combine(Path.GetTempPath(), "bot-tests", Guid.NewGuid().ToString("N"), "bot.db"),
            // Nothing connects while the container is built.
            ["ConnectionStrings:Postgres"] = "Host=db.invalid;Database=bot;Username=bot;Password=unused",
            ["Content:Path"] = RepoPaths.Content,
        };

        IHostApplicationBuilder builder = verb == "chat"
            ? BotHost.CreateBuilder(quiet: true, watchContent: false)
            // The adapter is chosen while the builder is made, so its settings come in as serve's own switches.
            : Program.CreateServerBuilder(withDiscord ? ["--Discord:BotToken=fake-discord-bot-token", "--Discord:ApplicationId=1100000000000000000"] : []);
        builder.Configuration.AddInMemoryCollection(settings);
        builder.ConfigureContainer(new DefaultServiceProviderFactory(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }));
        var services = builder.Services.ToList();

        using var host = builder is WebApplicationBuilder web ? (IHost)web.Build() : ((HostApplicationBuilder)builder).Build();
        using var scope = host.Services.CreateScope();
        foreach (var (serviceType, key) in services.Where(IsOurs).Select(descriptor => (descriptor.ServiceType, descriptor.ServiceKey)).Distinct())
        {
            // A platform's connection status is registered under its Platform key.
            var resolved = key is null ? scope.ServiceProvider.GetServices(serviceType) : scope.ServiceProvider.GetKeyedServices(serviceType, key);
            Assert.NotEmpty(resolved.OfType<object>());
        }

        Assert.Equal(withDiscord, services.Any(descriptor => descriptor.ServiceType.Namespace?.StartsWith("Bot.Discord", StringComparison.Ordinal) == true));
    }

    /// <summary>Our own registrations, and every hosted service (the framework's own are its business).</summary>
    private static bool IsOurs(ServiceDescriptor descriptor) =>
        !descriptor.ServiceType.ContainsGenericParameters
        && (descriptor.ServiceType == typeof(IHostedService)
            || descriptor.ServiceType.Namespace?.StartsWith("Bot.", StringComparison.Ordinal) == true
            || descriptor.ServiceType.GenericTypeArguments.Any(argument => argument.Namespace?.StartsWith("Bot.", StringComparison.Ordinal) == true));
}
