using System.Net;

namespace Bot.Tests.Shared;

/// <summary>A body sent chunked, in 100-byte chunks, so the framing adds about a tenth to what goes over the wire.</summary>
internal sealed class SmallChunks : HttpContent
{
    private readonly byte[] _body;

    public SmallChunks(byte[] body, string mediaType)
    {
        _body = body;
        Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(mediaType);
    }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        for (var offset = 0; offset < _body.Length; offset += 100)
        {
            await stream.WriteAsync(_body.AsMemory(offset, Math.Min(100, _body.Length - offset)));
            await stream.FlushAsync();
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
