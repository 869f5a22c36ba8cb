using System.Net;
using System.Text.Json.Nodes;
using Bot.Slack.Tests.EndToEnd;
using Bot.Slack.Tests.Fakes;

namespace Bot.Slack.Tests.Fuzz;

/// <summary>
/// Validly signed requests to <c>POST /slack/events</c>, mutated: slash commands (form fields),
/// interactive payloads (<c>payload=</c> JSON) and Events API bodies, with values of other kinds,
/// fields removed or added, text that is huge, empty, full of control characters or a lone surrogate,
/// and JSON cut short. Whatever arrives, the bot answers 2xx or 4xx, never 5xx, logs no error, and
/// every answer (in the acknowledgement or by response_url) is valid Block Kit that pings nobody.
/// Seeded, so a failure names the case to replay.
/// </summary>
public class SlackRequestFuzzTests(SlackServeFixture fixture) : IClassFixture<SlackServeFixture>
{
    private const int Mutations = 600;

    [Theory]
    [InlineData(20261207)]
    public async Task MutatedSignedRequests_NeverGetA5xxAnErrorLogOrAnAnswerOutsideTheLimits(int seed)
    {
        var mutations = new JsonMutations(seed);
        var random = new Random(seed);
        var slack = fixture.Slack;
        var logBefore = fixture.Server.Log.Length;
        var failures = new List<string>();
        for (var attempt = 0; attempt < Mutations; attempt++)
        {
            var responseUrl = slack.NewResponseUrl(SlackServeFixture.Channel);
            var (body, mediaType) = (random.Next(3)) switch
            {
                0 => (Form(mutations.Mutate(SlackPayloads.SlashCommandJson(
                    random.Next(2) == 0 ? "/explain" : "/regex-test", random.Next(2) == 0 ? "closures" : @"pattern: (\w+)@(\w+) text: ann@ex mode: findall", responseUrl))), "application/x-www-form-urlencoded"),
                1 => ("payload=" + WebUtility.UrlEncode(mutations.Mutate(random.Next(2) == 0
                    ? SlackPayloads.BlockAction("explain:closures", "explain:closures", "1700000000.000001", responseUrl)
                    : SlackPayloads.BlockSuggestion("topic", "clo"))), "application/x-www-form-urlencoded"),
                _ => (mutations.Mutate(SlackPayloads.UrlVerification("challenge-" + attempt)), "application/json"),
            };

            using var response = await fixture.Signer.PostAsync(fixture.Server.Http, fixture.EventsUrl, body, mediaType);
            var ack = await response.Content.ReadAsStringAsync();
            if ((int)response.StatusCode >= 500)
            {
                failures.Add($"case {attempt} ({(int)response.StatusCode}): {body[..Math.Min(body.Length, 300)]}");
            }
            else if (response.StatusCode == HttpStatusCode.OK && ack.StartsWith('{') && JsonNode.Parse(ack) is JsonObject answer && answer["blocks"] is { } blocks)
            {
                failures.AddRange(BlockKitValidator.Validate(blocks).Select(problem => $"case {attempt}: {problem}"));
                failures.AddRange(MentionScanner.Scan("ack", SlackServeFixture.Channel, answer["text"]?.GetValue<string>(), blocks, linkNames: false)
                    .Select(ping => $"case {attempt}: the acknowledgement pings {ping}"));
            }
        }

        await Task.Delay(TimeSpan.FromSeconds(1));
        var errors = fixture.Server.Log[logBefore..].Split('\n').Where(line => line.Contains(" ERR]", StringComparison.Ordinal) || line.Contains(" FTL]", StringComparison.Ordinal)).ToList();
        Assert.True(failures.Count == 0, string.Join('\n', failures.Take(10)));
        Assert.True(errors.Count == 0, string.Join('\n', errors.Take(10)));
        Assert.True(slack.Problems.Count == 0, string.Join('\n', slack.Problems.Take(10)));
        Assert.Empty(slack.Pings);
    }

    /// <summary>Mutated fields as a form body; JSON cut short is sent as it is, as garbage would be.</summary>
    private static string Form(string mutatedJson)
    {
        JsonNode? parsed;
        try
        {
            parsed = JsonNode.Parse(mutatedJson);
        }
        catch (System.Text.Json.JsonException)
        {
            return mutatedJson;
        }

        return parsed is JsonObject fields
            ? string.Join('&', fields.Where(field => field.Value is not null).Select(field => $"{WebUtility.UrlEncode(field.Key)}={Encoded(field.Value!)}"))
            : mutatedJson;
    }

    /// <summary>A field's value form-encoded; a lone surrogate becomes the bytes that would encode it, which are not valid UTF-8.</summary>
    private static string Encoded(JsonNode value)
    {
        try
        {
            return WebUtility.UrlEncode(value is JsonValue text && text.TryGetValue<string>(out var plain) ? plain : value.ToJsonString());
        }
        catch (InvalidOperationException)
        {
            return "x%ED%A0%80";
        }
    }
}
