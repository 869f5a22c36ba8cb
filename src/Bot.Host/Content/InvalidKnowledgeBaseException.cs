using Bot.Core.Knowledge;

namespace Bot.Host.Content;

/// <summary>Thrown at start when the content does not validate; the host refuses to serve it.</summary>
public sealed class InvalidKnowledgeBaseException(IReadOnlyList<ContentError> errors)
    : Exception($"The knowledge base has {errors.Count} error(s).")
{
    public IReadOnlyList<ContentError> Errors { get; } = errors;
}
