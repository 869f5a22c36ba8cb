using System.Reflection;
using System.Text.Json;
using Bot.Core;
using Bot.Core.Quiz;
using Bot.Discord.Gateway;
using Bot.Discord.Tests.Fakes;
using Bot.Host.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bot.Discord.Tests.Interactions;

/// <summary>
/// SQLite's async calls complete synchronously, so a slow or locked database blocks the handler's thread: the
/// deferral must still go out in time, or Discord drops the interaction after 3 seconds.
/// </summary>
public sealed class SlowStoreDeferralTests
{
    [Fact]
    public async Task Quiz_StoreBlockingPastDiscordsDeadline_IsDeferredInTimeThenAnswered()
    {
        await using var discord = await FakeDiscord.StartAsync();
        var folder = Directory.CreateTempSubdirectory("bot-slow-store-");
        try
        {
            var database = new SqliteDatabase(Path.Combine(folder.FullName, "bot.db"));
            await database.MigrateAsync(CancellationToken.None);
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Discord:BotToken"] = FakeDiscord.BotToken,
                ["Discord:ApplicationId"] = FakeDiscord.ApplicationId,
                ["Discord:ApiBaseUrl"] = discord.ApiBaseUrl.ToString(),
                ["Discord:Transport"] = "Gateway",
            }).Build();
            var services = new ServiceCollection();
            services.AddSingleton<IConfiguration>(configuration);
            services.AddLogging();
            services.AddMetrics();
            services.AddSingleton<IHostApplicationLifetime, RunningLifetime>();
            services.AddSingleton(FuzzCourse.Source);
            services.AddSingleton(SlowStore.Wrapping(new SqliteQuizStore(database), TimeSpan.FromSeconds(3.5)));
            services.AddBotCore();
            services.AddDiscord(configuration);
            await using var provider = services.BuildServiceProvider();
            var handler = provider.GetServices<IGatewayDispatchHandler>().OfType<InteractionDispatchHandler>().Single();
            var quiz = discord.NewInteraction(InteractionPayloads.SlashCommand("quiz", [("topic", 3, "closures")]));

            using var data = JsonDocument.Parse(quiz.Payload.ToJsonString());
            await handler.OnDispatchAsync("INTERACTION_CREATE", data.RootElement, CancellationToken.None);
            var answered = await discord.WaitForInitialResponseAsync(quiz.Id, TimeSpan.FromSeconds(10));
            await discord.WaitForAsync(_ => quiz.Original?["embeds"] is System.Text.Json.Nodes.JsonArray { Count: > 0 }, TimeSpan.FromSeconds(15));

            Assert.Equal(5, (int?)answered.InitialResponse!["type"]);
            Assert.Equal(0, quiz.RejectedResponses);
            Assert.Empty(discord.Problems);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    /// <summary>The store, with every call first blocking its caller's thread, as a locked SQLite file does.</summary>
    public class SlowStore : DispatchProxy
    {
        private IQuizStore _inner = null!;
        private TimeSpan _delay;

        public static IQuizStore Wrapping(IQuizStore inner, TimeSpan delay)
        {
            var proxy = Create<IQuizStore, SlowStore>();
            var slow = (SlowStore)(object)proxy;
            slow._inner = inner;
            slow._delay = delay;
            return proxy;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            Thread.Sleep(_delay);
            return targetMethod!.Invoke(_inner, args);
        }
    }

    private sealed class RunningLifetime : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => new(canceled: true);

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication()
        {
        }
    }
}
