namespace Bot.Host;

/// <summary>Process exit codes; documented in the README.</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The content has errors (<c>content check</c>, or a refused start).</summary>
    public const int InvalidContent = 1;

    /// <summary><c>bot health</c>: the server is not healthy (or not ready with --ready), or did not answer.</summary>
    public const int Unhealthy = 1;

    /// <summary><c>bot doctor</c>: at least one check failed.</summary>
    public const int DoctorFoundProblems = 1;

    /// <summary>The command line could not be parsed.</summary>
    public const int Usage = 2;

    /// <summary>Configuration failed validation at start.</summary>
    public const int InvalidConfiguration = 3;

    /// <summary><c>bot explain</c> found no confident match (suggestions were printed instead).</summary>
    public const int NoMatch = 4;

    /// <summary>The database (<c>Storage:Path</c>, or <c>ConnectionStrings:Postgres</c>) cannot be opened or is from a newer version.</summary>
    public const int StorageUnavailable = 5;

    /// <summary><c>bot storage copy</c>: the target already holds data, and <c>--overwrite</c> was not given.</summary>
    public const int TargetNotEmpty = 6;

    /// <summary>An unexpected failure; see the log.</summary>
    public const int Failure = 70;
}
