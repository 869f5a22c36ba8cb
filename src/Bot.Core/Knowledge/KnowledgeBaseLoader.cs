using Bot.Core.Search;

namespace Bot.Core.Knowledge;

/// <summary>The outcome of loading content: every concept that parsed, every error found.</summary>
public sealed record KnowledgeBaseLoadResult(IReadOnlyList<Concept> Concepts, IReadOnlyList<ContentError> Errors, KnowledgeBase? KnowledgeBase)
{
    public bool IsValid => KnowledgeBase is not null;
}

/// <summary>
/// Loads <c>&lt;root&gt;/&lt;course&gt;/&lt;id&gt;.md</c> files into a <see cref="KnowledgeBase"/>,
/// validating each file and the references between them.
/// </summary>
public static class KnowledgeBaseLoader
{
    public static KnowledgeBaseLoadResult LoadDirectory(string root)
    {
        if (!Directory.Exists(root))
        {
            return Invalid(new ContentError(root, 0, "content directory not found: create it or set Content:Path"));
        }

        var files = Directory.EnumerateFiles(root, "*.md", SearchOption.AllDirectories)
            .Where(IsConceptFile)
            .Order(StringComparer.Ordinal)
            .Select(path => ReadFile(root, path))
            .ToList();
        var courses = files.Select(file => file.Course).Distinct(StringComparer.Ordinal)
            .Select(course => Path.Combine(root, course, CourseInfo.FileName))
            .Where(File.Exists)
            .Select(path => new CourseFile(path, Path.GetFileName(Path.GetDirectoryName(path))!, File.ReadAllText(path)))
            .ToList();
        return files.Count == 0
            ? Invalid(new ContentError(root, 0, "no concept files found: add <course>/<id>.md files"))
            : Load(files, courses);
    }

    /// <param name="files">The concept files.</param>
    /// <param name="courses">The course files (names and topic order) of some of the files' courses.</param>
    public static KnowledgeBaseLoadResult Load(IReadOnlyList<ContentFile> files, IReadOnlyList<CourseFile>? courses = null)
    {
        var parsed = files
            .AsParallel()
            .AsOrdered()
            .Select(file =>
            {
                var errors = new List<ContentError>();
                return (Parsed: ConceptFileParser.Parse(file, errors), Errors: errors);
            })
            .ToList();
        var errors = parsed.SelectMany(result => result.Errors).ToList();
        var readable = parsed.Where(result => result.Parsed is not null).Select(result => result.Parsed!).ToList();

        ReportDuplicateIds(files, errors);
        ReportDuplicateNames(readable, errors);
        ReportSharedAskedQuestions(readable, errors);
        ReportUnknownRelated(readable, files, errors);
        var courseInfos = ReadCourses(courses ?? [], readable, errors);

        var ordered = readable.Where(result => result.Complete).Select(result => result.Concept)
            .OrderBy(concept => concept.Course, StringComparer.Ordinal)
            .ThenBy(concept => concept.Title, StringComparer.OrdinalIgnoreCase)
            .ToList();
        var sortedErrors = errors.OrderBy(error => error.Path, StringComparer.Ordinal).ThenBy(error => error.Line).ToList();
        return new KnowledgeBaseLoadResult(ordered, sortedErrors, sortedErrors.Count == 0 ? new KnowledgeBase(ordered, courseInfos) : null);
    }

    /// <summary>
    /// Every course the concepts belong to, with its name and topic order: from its course file when
    /// it has one (then each concept's topic must be one the file lists), otherwise from the folder name
    /// and the topics its concepts name.
    /// </summary>
    private static List<CourseInfo> ReadCourses(IReadOnlyList<CourseFile> courseFiles, List<ParsedConcept> concepts, List<ContentError> errors)
    {
        var declared = new Dictionary<string, (CourseInfo Info, string Path)>(StringComparer.Ordinal);
        foreach (var file in courseFiles)
        {
            if (CourseFileParser.Parse(file, errors) is { } info)
            {
                declared[file.Course] = (info, file.Path);
            }
        }

        var result = new List<CourseInfo>();
        foreach (var course in concepts.GroupBy(parsed => parsed.Concept.Course, StringComparer.Ordinal).OrderBy(group => group.Key, StringComparer.Ordinal))
        {
            var topicsInUse = course.Select(parsed => parsed.Concept.Topic).OfType<string>();
            if (!declared.TryGetValue(course.Key, out var found) || found.Info.Topics.Count == 0)
            {
                result.Add(found.Info is { } titled ? titled with { Topics = CourseInfo.Default(course.Key, topicsInUse).Topics } : CourseInfo.Default(course.Key, topicsInUse));
                continue;
            }

            foreach (var (concept, header, _) in course)
            {
                if (header.Topic is { } topic && !found.Info.Topics.Contains(topic.Value, StringComparer.Ordinal))
                {
                    errors.Add(new ContentError(concept.SourcePath, topic.Line,
                        $"topic '{topic.Value}' is not one of the topics in {found.Path} ({string.Join(", ", found.Info.Topics)}); pick one or add it there"));
                }
            }

            result.Add(found.Info);
        }

        return result;
    }

    private static bool IsConceptFile(string path)
    {
        var name = Path.GetFileName(path);
        return !name.StartsWith('_') && !name.StartsWith('.') && !name.Equals("README.md", StringComparison.OrdinalIgnoreCase);
    }

    private static ContentFile ReadFile(string root, string path)
    {
        var relative = Path.GetRelativePath(root, path);
        var folder = Path.GetDirectoryName(relative);
        var course = string.IsNullOrEmpty(folder)
            ? Path.GetFileName(Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar))
            : folder.Split(Path.DirectorySeparatorChar)[0];
        var id = Path.GetFileNameWithoutExtension(path).ToLowerInvariant();
        return new ContentFile(path, course, id, File.ReadAllText(path));
    }

    private static KnowledgeBaseLoadResult Invalid(ContentError error) => new([], [error], null);

    private static void ReportDuplicateIds(IReadOnlyList<ContentFile> files, List<ContentError> errors)
    {
        var first = new Dictionary<string, ContentFile>(StringComparer.OrdinalIgnoreCase);
        foreach (var file in files)
        {
            if (!first.TryAdd(file.Id, file))
            {
                errors.Add(new ContentError(file.Path, 1,
                    $"duplicate id '{file.Id}': {first[file.Id].Path} has the same file name; rename one of them"));
            }
        }
    }

    private static void ReportDuplicateNames(List<ParsedConcept> concepts, List<ContentError> errors)
    {
        var owners = new Dictionary<string, (string Id, string Kind, string Where)>(StringComparer.Ordinal);
        foreach (var (concept, header, _) in concepts)
        {
            var names = new List<(string Kind, string Name, int Line)> { ("id", concept.Id, 1) };
            if (!string.IsNullOrEmpty(header.Title))
            {
                names.Add(("title", header.Title, header.TitleLine));
            }

            names.AddRange(header.Aliases.Select(alias => ("alias", alias.Value, alias.Line)));
            foreach (var (kind, name, line) in names)
            {
                var key = TextNormalizer.Key(name);
                if (key.Length == 0)
                {
                    errors.Add(new ContentError(concept.SourcePath, line, $"{kind} '{name}' has no letters or digits, so nobody can type it"));
                    continue;
                }

                if (!owners.TryGetValue(key, out var owner))
                {
                    owners[key] = (concept.Id, kind, $"{concept.SourcePath}:{line}");
                }
                else if (owner.Id != concept.Id)
                {
                    errors.Add(new ContentError(concept.SourcePath, line,
                        $"duplicate {kind} '{name}': the {owner.Kind} of '{owner.Id}' ({owner.Where}) reads the same ignoring case, spaces and punctuation"));
                }
            }
        }
    }

    /// <summary>An asked question pulls the search towards its concept; one asked for two concepts pulls both ways.</summary>
    private static void ReportSharedAskedQuestions(List<ParsedConcept> concepts, List<ContentError> errors)
    {
        var owners = new Dictionary<string, (string Id, string Where)>(StringComparer.Ordinal);
        foreach (var (concept, header, _) in concepts)
        {
            foreach (var question in header.Asked)
            {
                var key = TextNormalizer.QuestionKey(question.Value);
                if (!owners.TryAdd(key, (concept.Id, $"{concept.SourcePath}:{question.Line}")))
                {
                    var owner = owners[key];
                    errors.Add(new ContentError(concept.SourcePath, question.Line, owner.Id == concept.Id
                        ? $"asked question '{question.Value}' is listed twice ({owner.Where}); remove one"
                        : $"asked question '{question.Value}' is also asked for '{owner.Id}' ({owner.Where}); keep it only where a tutor would send the learner"));
                }
            }
        }
    }

    /// <summary>Checks against every file, parsed or not, so one broken file yields one error, not one per reference to it.</summary>
    private static void ReportUnknownRelated(List<ParsedConcept> concepts, IReadOnlyList<ContentFile> files, List<ContentError> errors)
    {
        var ids = files.Select(file => file.Id).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var (concept, header, _) in concepts)
        {
            foreach (var related in header.Related)
            {
                if (string.Equals(related.Value, concept.Id, StringComparison.OrdinalIgnoreCase))
                {
                    errors.Add(new ContentError(concept.SourcePath, related.Line, $"related lists '{related.Value}', the concept itself"));
                }
                else if (!ids.Contains(related.Value))
                {
                    var closest = ids.MinBy(id => TypoIndex.Distance(related.Value, id, 3));
                    var hint = closest is not null && TypoIndex.Distance(related.Value, closest, 3) <= 3 ? $"; did you mean '{closest}'?" : "";
                    errors.Add(new ContentError(concept.SourcePath, related.Line,
                        $"related '{related.Value}' names no concept (related takes concept ids, the file names without .md){hint}"));
                }
            }
        }
    }
}
