using System.Globalization;
using System.Text.Json;
using Bot.Core;
using Bot.Core.Quiz;
using Bot.Host.Storage;

namespace Bot.Host.StoreClient;

/// <summary>
/// <c>Bot.Host.StoreClient answer INSTANCE-ID USER CLICKS GO-FILE</c>:
/// Opens the database of STORE_PROVIDER (Sqlite or Postgres) at STORE_PATH or STORE_CONNECTION, as the bot would,
/// waits until GO-FILE exists (so that every client starts at once), then answers the instance CLICKS times at
/// once as USER, with different choices, and prints each click's result as a JSON line: {"isNew":…,"choice":…}.
/// </summary>
internal static class StoreClientProgram
{
    public static async Task<int> Main(string[] args)
    {
        if (args is not ["answer", var instanceText, var user, var clicksText, var goFile])
        {
            await Console.Error.WriteLineAsync("usage: answer INSTANCE-ID USER CLICKS GO-FILE, with STORE_PROVIDER and STORE_PATH or STORE_CONNECTION set");
            return 2;
        }

        var instanceId = long.Parse(instanceText, CultureInfo.InvariantCulture);
        var clicks = int.Parse(clicksText, CultureInfo.InvariantCulture);
        IStorageDatabase database = Environment.GetEnvironmentVariable("STORE_PROVIDER") == "Postgres"
            ? new PostgresDatabase(Environment.GetEnvironmentVariable("STORE_CONNECTION")!)
            : new SqliteDatabase(Environment.GetEnvironmentVariable("STORE_PATH")!);
        IQuizStore store = database switch
        {
            PostgresDatabase postgres => new PostgresQuizStore(postgres),
            var sqlite => new SqliteQuizStore((SqliteDatabase)sqlite),
        };

        var instance = await store.FindInstanceAsync(instanceId, CancellationToken.None) ?? throw new InvalidOperationException($"no quiz instance {instanceId}");
        var learner = new Learner(instance.Platform, instance.Workspace, user);
        Console.Out.WriteLine("ready");
        while (!File.Exists(goFile))
        {
            await Task.Delay(1);
        }

        var seed = Environment.ProcessId;
        var answers = await Task.WhenAll(Enumerable.Range(0, clicks).Select(click => Task.Run(() =>
            store.RecordAnswerAsync(instance, learner, user, (seed + click) % instance.ChoiceCount, DateTimeOffset.UtcNow, CancellationToken.None))));
        foreach (var answer in answers)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(new { isNew = answer.IsNew, choice = answer.Choice }));
        }

        if (database is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }

        return 0;
    }
}
