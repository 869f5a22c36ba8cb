using System.Diagnostics.Metrics;
using System.Net;

namespace Bot.Core.Tests;

public sealed class PlatformRequestMetricsHandlerTests : IDisposable
{
    private readonly TestMeterFactory _meters = new();
    private readonly MeterListener _listener = new();
    private readonly List<(string Platform, string Status)> _counted = [];

    public PlatformRequestMetricsHandlerTests()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (_meters.Created(instrument.Meter) && instrument.Name == "tutor.platform.requests")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            var values = tags.ToArray().ToDictionary(tag => tag.Key, tag => (string)tag.Value!);
            _counted.Add((values["platform"], values["status"]));
        });
        _listener.Start();
    }

    public void Dispose()
    {
        _listener.Dispose();
        _meters.Dispose();
    }

    /// <summary>Every attempt counts by its answer, a 429 on its own; a request with no answer counts as an error.</summary>
    [Fact]
    public async Task SendAsync_EachAttempt_IsCountedByPlatformAndAnswer()
    {
        var answers = new Queue<Func<HttpResponseMessage>>([
            () => new HttpResponseMessage(HttpStatusCode.OK),
            () => new HttpResponseMessage(HttpStatusCode.TooManyRequests),
            () => new HttpResponseMessage(HttpStatusCode.BadGateway),
            () => throw new HttpRequestException("connection refused"),
        ]);
        using var handler = new PlatformRequestMetricsHandler(new BotMetrics(_meters), Platform.Slack, _ => "chat.postMessage") { InnerHandler = new Answering(answers) };
        using var client = new HttpClient(handler);

        for (var attempt = 0; attempt < 4; attempt++)
        {
            try
            {
                using var response = await client.GetAsync(new Uri("http://127.0.0.1/api/auth.test"));
            }
            catch (HttpRequestException)
            {
            }
        }

        Assert.Equal([("slack", "2xx"), ("slack", "429"), ("slack", "5xx"), ("slack", "error")], _counted);
    }

    private sealed class Answering(Queue<Func<HttpResponseMessage>> answers) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(answers.Dequeue()());
    }

    private sealed class TestMeterFactory : IMeterFactory
    {
        private readonly List<Meter> _created = [];

        public Meter Create(MeterOptions options)
        {
            var meter = new Meter(options);
            _created.Add(meter);
            return meter;
        }

        public bool Created(Meter meter) => _created.Contains(meter);

        public void Dispose() => _created.ForEach(meter => meter.Dispose());
    }
}
