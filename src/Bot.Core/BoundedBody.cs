namespace Bot.Core;

/// <summary>Reads a request body, giving up as soon as it grows past a limit on the bytes it decodes to.</summary>
public static class BoundedBody
{
    /// <summary>
    /// What a web server's own limit on the bytes received should allow for a body of at most
    /// <c>maxBytes</c>: chunked transfer adds a size line and a line break to every chunk, which the
    /// body does not contain, so a body just under the limit may arrive in many more bytes.
    /// </summary>
    public static long WireAllowance(int maxBytes) => (long)maxBytes * 8;

    /// <summary>The body, or null when it decodes to more than <paramref name="maxBytes"/> bytes.</summary>
    public static async Task<byte[]?> ReadAsync(Stream body, int maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        while (true)
        {
            var read = await body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return buffer.ToArray();
            }

            if (buffer.Length + read > maxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }
    }
}
