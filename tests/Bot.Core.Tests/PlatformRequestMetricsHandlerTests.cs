using System.Diagnostics.Metrics;
using System.Net;

namespace Bot.Core.Tests;

public sealed class PlatformRequestMetricsHandlerTests : IDisposable
{
    private readonly TestMeterFactory _meters = new();
    private readonly MeterListener _listener = new();
    private readonly List<(string Platform, string Status)> _counted = [];
    private readonly List<(string Platform, string After)> _retries = [];

    public PlatformRequestMetricsHandlerTests()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (_meters.Created(instrument.Meter) && instrument.Name is "tutor.platform.requests" or "tutor.platform.retries")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, _, tags, _) =>
        {
            var values = tags.ToArray().ToDictionary(tag => tag.Key, tag => (string)tag.Value!);
            if (instrument.Name == "tutor.platform.retries")
            {
                _retries.Add((values["platform"], values["after"]));
            }
            else
            {
                _counted.Add((values["platform"], values["status"]));
            }
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
        Assert.Empty(_retries);
    }

    /// <summary>A request sent again by a handler outside (a retry, a 429 waited out) is a retry, counted with what came before it.</summary>
    [Fact]
    public async Task SendAsync_SameRequestAgain_IsCountedAsARetryAfterItsLastAnswer()
    {
        var answers = new Queue<Func<HttpResponseMessage>>([
            () => new HttpResponseMessage(HttpStatusCode.TooManyRequests),
            () => throw new HttpRequestException("connection reset"),
            () => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable),
            () => new HttpResponseMessage(HttpStatusCode.OK),
            () => new HttpResponseMessage(HttpStatusCode.OK),
        ]);
        using var metered = new PlatformRequestMetricsHandler(new BotMetrics(_meters), Platform.Discord, _ => "POST /channels/{channel_id}/messages") { InnerHandler = new Answering(answers) };
        using var client = new HttpClient(new UntilSuccess { InnerHandler = metered });

        using (var first = await client.PostAsync(new Uri("http://127.0.0.1/api/v10/channels/1/messages"), new StringContent("{}")))
        using (var second = await client.PostAsync(new Uri("http://127.0.0.1/api/v10/channels/1/messages"), new StringContent("{}")))
        {
            Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        }

        Assert.Equal([("discord", "429"), ("discord", "error"), ("discord", "5xx"), ("discord", "2xx"), ("discord", "2xx")], _counted);
        Assert.Equal([("discord", "429"), ("discord", "error"), ("discord", "5xx")], _retries);
    }

    /// <summary>Plays the retry handlers: sends the same request again until it succeeds.</summary>
    private sealed class UntilSuccess : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            while (true)
            {
                try
                {
                    var response = await base.SendAsync(request, cancellationToken);
                    if (response.IsSuccessStatusCode)
                    {
                        return response;
                    }

                    response.Dispose();
                }
                catch (HttpRequestException)
                {
                }
            }
        }
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
