namespace Bot.RegexEngine;

/// <summary>A pattern or replacement template that Python's <c>re</c> rejects. <see cref="Exception.Message"/> is
/// exactly <c>re.error.msg</c> (or the message of the IndexError/OverflowError Python raises instead), and
/// <see cref="Position"/> is <c>re.error.pos</c>: a code-point offset, or null where Python gives none.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1710", Justification = "Named after Python's re.error, which it reproduces.")]
public sealed class PythonRegexError : Exception
{
    public PythonRegexError(string message, int? position)
        : base(message)
    {
        Position = position;
    }

    public PythonRegexError()
    {
    }

    public PythonRegexError(string message)
        : base(message)
    {
    }

    public PythonRegexError(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public int? Position { get; }
}

/// <summary>A match gave up before finishing because it used its step budget or passed its deadline; the
/// pattern backtracks too much on this text (e.g. <c>(a+)+$</c>).</summary>
public sealed class RegexCutoffException : Exception
{
    public RegexCutoffException()
    {
    }

    public RegexCutoffException(string message)
        : base(message)
    {
    }

    public RegexCutoffException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
