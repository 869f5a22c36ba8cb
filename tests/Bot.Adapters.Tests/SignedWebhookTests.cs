using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Adapters.Tests;

/// <summary>
/// The front of both platforms' webhooks: size cap, freshness, signature, probe. The platforms' own
/// cryptography is tested beside each platform; here a stand-in key signs by prefixing the body's length.
/// </summary>
public class SignedWebhookTests
{
    /// <summary>Stands for the right header value in <see cref="SendAsync"/>.</summary>
    private const string Right = "(right)";

    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

    private readonly FakeTimeProvider _time = new(Now);
    private readonly ListLogger<SignedWebhook> _log = new();

    [Fact]
    public async Task SignedAndFresh_ReturnsTheBody_AndAnswersNothing()
    {
        var (body, context) = await SendAsync("{\"type\":1}");

        Assert.Equal("{\"type\":1}", Encoding.UTF8.GetString(body!));
        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
        Assert.Empty(_log.Entries);
    }

    [Theory]
    [InlineData(-300, true)]
    [InlineData(300, true)]
    [InlineData(-301, false)]
    [InlineData(301, false)]
    public async Task Timestamp_WithinFiveMinutesEitherWay_Only(int offsetSeconds, bool accepted)
    {
        var (body, context) = await SendAsync("{}", timestamp: Unix(Now.AddSeconds(offsetSeconds)));

        Assert.Equal(accepted, body is not null);
        Assert.Equal(accepted ? StatusCodes.Status200OK : StatusCodes.Status401Unauthorized, context.Response.StatusCode);
    }

    [Theory]
    [InlineData(null, "sig:2")]
    [InlineData("", "sig:2")]
    [InlineData("soon", "sig:2")]
    [InlineData("-1700000000", "sig:2")]
    [InlineData("99999999999999999999", "sig:2")]
    [InlineData("1700000000", "sig:3")]
    [InlineData("1700000000", null)]
    public async Task BadStaleOrMissingSignature_Is401_WithAPlainAnswer_AndALogLineWithoutTheSignature(string? timestamp, string? signature)
    {
        var (body, context) = await SendAsync("{}", timestamp, signature);

        Assert.Null(body);
        Assert.Equal(StatusCodes.Status401Unauthorized, context.Response.StatusCode);
        Assert.Equal("invalid request signature", ResponseText(context));
        var entry = Assert.Single(_log.Entries);
        Assert.Equal(LogLevel.Debug, entry.Level);
        Assert.Contains("Refused a Test request", entry.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("sig:", entry.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SignedWebhook.MaxBodyBytes, true, StatusCodes.Status200OK)]
    [InlineData(SignedWebhook.MaxBodyBytes, false, StatusCodes.Status200OK)]
    [InlineData(SignedWebhook.MaxBodyBytes + 1, true, StatusCodes.Status413PayloadTooLarge)]
    [InlineData(SignedWebhook.MaxBodyBytes + 1, false, StatusCodes.Status413PayloadTooLarge)]
    public async Task Body_IsCappedWhetherOrNotItsLengthIsDeclared(int length, bool declared, int expected)
    {
        var text = new string('x', length);

        var (body, context) = await SendAsync(text, declareLength: declared);

        Assert.Equal(expected, context.Response.StatusCode);
        Assert.Equal(expected == StatusCodes.Status200OK ? length : null, body?.Length);
    }

    [Fact]
    public async Task DeclaredLengthOverTheCap_IsRefusedBeforeTheBodyIsRead()
    {
        var context = Request("{}", Unix(Now), "sig:2");
        context.Request.ContentLength = SignedWebhook.MaxBodyBytes + 1;
        var body = new ThrowingStream();
        context.Request.Body = body;

        var read = await Webhook().ReadSignedBodyAsync(context, new TestSignature());

        Assert.Null(read);
        Assert.Equal(StatusCodes.Status413PayloadTooLarge, context.Response.StatusCode);
    }

    [Fact]
    public async Task AnUnsignedProbeThePlatformDocuments_GetsABare200()
    {
        var (body, context) = await SendAsync("probe", signature: null, probe: true);

        Assert.Null(body);
        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
        Assert.Equal("", ResponseText(context));
        Assert.Empty(_log.Entries);
    }

    private async Task<(byte[]? Body, HttpContext Context)> SendAsync(
        string text, string? timestamp = Right, string? signature = Right, bool declareLength = true, bool probe = false)
    {
        timestamp = timestamp == Right ? Unix(Now) : timestamp;
        signature = signature == Right ? $"sig:{Encoding.UTF8.GetByteCount(text)}" : signature;
        var context = Request(text, timestamp, signature);
        if (!declareLength)
        {
            context.Request.ContentLength = null;
        }

        var body = await Webhook().ReadSignedBodyAsync(context, new TestSignature(probe));
        return (body, context);
    }

    private SignedWebhook Webhook() => new(_time, _log);

    private static DefaultHttpContext Request(string text, string? timestamp, string? signature)
    {
        var context = new DefaultHttpContext();
        var bytes = Encoding.UTF8.GetBytes(text);
        context.Request.Method = "POST";
        context.Request.Body = new MemoryStream(bytes);
        context.Request.ContentLength = bytes.Length;
        if (timestamp is not null)
        {
            context.Request.Headers["X-Test-Timestamp"] = timestamp;
        }

        if (signature is not null)
        {
            context.Request.Headers["X-Test-Signature"] = signature;
        }

        context.Response.Body = new MemoryStream();
        return context;
    }

    private static string ResponseText(HttpContext context) => Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray());

    private static string Unix(DateTimeOffset at) => at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    /// <summary>Signs a body as "sig:" and its length: enough to tell a right signature from a wrong one.</summary>
    private sealed class TestSignature(bool probe = false) : IRequestSignature
    {
        public string Platform => "Test";

        public string TimestampHeader => "X-Test-Timestamp";

        public string SignatureHeader => "X-Test-Signature";

        public bool Verify(string? timestamp, string? signature, ReadOnlySpan<byte> body) =>
            !string.IsNullOrEmpty(timestamp) && signature == $"sig:{body.Length}";

        public bool IsUnsignedProbe(HttpRequest request, ReadOnlySpan<byte> body) => probe && body.SequenceEqual("probe"u8);
    }

    private sealed class ThrowingStream : MemoryStream
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("the body was read");
    }
}
