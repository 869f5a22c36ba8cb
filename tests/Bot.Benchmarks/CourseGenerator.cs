using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Bot.Core.Knowledge;
using Bot.Core.Search;

namespace Bot.Benchmarks;

/// <summary>One generated concept file and the names the lookup benchmarks query it by.</summary>
internal sealed record GeneratedConcept(
    string Course,
    string Id,
    string Title,
    IReadOnlyList<string> Aliases,
    IReadOnlyList<string> Tags,
    string Summary,
    string Body,
    string Text);

/// <summary>A synthetic course in the real content format: <c>&lt;root&gt;/&lt;course&gt;/&lt;id&gt;.md</c>.</summary>
internal sealed class GeneratedCourse(IReadOnlyList<GeneratedConcept> concepts)
{
    public IReadOnlyList<GeneratedConcept> Concepts { get; } = concepts;

    public void WriteTo(string root)
    {
        foreach (var concept in Concepts)
        {
            var folder = Path.Combine(root, concept.Course);
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, concept.Id + ".md"), concept.Text);
        }
    }

    /// <summary>The same files in memory, for <see cref="KnowledgeBaseLoader.Load"/> without touching the disk.</summary>
    public List<ContentFile> ToContentFiles(string root) =>
        [.. Concepts.Select(concept => new ContentFile(Path.Combine(root, concept.Course, concept.Id + ".md"), concept.Course, concept.Id, concept.Text))];
}

/// <summary>
/// Generates a large, valid course from words harvested from the real one. Deterministic: the same
/// seed and content give the same files, so runs are comparable.
/// </summary>
internal static partial class CourseGenerator
{
    public const int Seed = 20_260_101;

    private static readonly string[] Courses =
    [
        "python", "algorithms", "databases", "web-development", "javascript",
        "rust", "networking", "operating-systems", "testing", "devops",
    ];

    private static readonly string[] Levels = ["beginner", "intermediate", "advanced"];

    /// <summary>Prose glue, so bodies read like sentences and carry the stop words real text has.</summary>
    private static readonly string[] FunctionWords =
    [
        "the", "a", "is", "of", "and", "to", "in", "when", "it", "for", "with", "that", "each", "every",
        "by", "on", "an", "or", "not", "can", "will", "as", "you", "your", "this", "one",
    ];

    private static readonly HashSet<string> NotVocabulary = new(StringComparer.Ordinal)
    {
        "https", "http", "html", "www", "docs", "faq", "output", "about", "what", "when", "that", "this",
        "with", "your", "does", "from", "have", "into", "than", "them", "then", "they", "were", "will",
    };

    /// <summary>Python keywords never used as identifiers in the generated code blocks.</summary>
    private static readonly HashSet<string> PythonKeywords = new(StringComparer.Ordinal)
    {
        "async", "await", "break", "class", "continue", "elif", "else", "except", "false", "finally", "from",
        "global", "import", "lambda", "none", "nonlocal", "pass", "raise", "return", "true", "while", "with", "yield",
    };

    public static GeneratedCourse Generate(int count, string realContentRoot, int seed = Seed)
    {
        var (vocabulary, tags) = Harvest(realContentRoot);
        return new Builder(count, vocabulary, tags, new Random(seed)).Build();
    }

    /// <summary>Lower-case words of 4–12 letters from the real course, and its tags, in a stable order.</summary>
    private static (string[] Vocabulary, string[] Tags) Harvest(string contentRoot)
    {
        var words = new SortedSet<string>(StringComparer.Ordinal);
        var tags = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFiles(contentRoot, "*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var text = File.ReadAllText(path);
            foreach (Match match in WordPattern().Matches(text.ToLowerInvariant()))
            {
                if (!NotVocabulary.Contains(match.Value))
                {
                    words.Add(match.Value);
                }
            }

            var tagLine = TagsPattern().Match(text);
            if (tagLine.Success)
            {
                foreach (var tag in tagLine.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    tags.Add(tag);
                }
            }
        }

        if (words.Count < 200 || tags.Count < 5)
        {
            throw new InvalidOperationException($"too little real content under {contentRoot} to harvest a vocabulary ({words.Count} words, {tags.Count} tags)");
        }

        return ([.. words], [.. tags]);
    }

    [GeneratedRegex("(?<![a-z])[a-z]{4,12}(?![a-z])")]
    private static partial Regex WordPattern();

    [GeneratedRegex(@"^```.*?^```$", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex CodeBlockPattern();

    [GeneratedRegex(@"^tags:\s*\[(.*)\]\s*$", RegexOptions.Multiline)]
    private static partial Regex TagsPattern();

    private sealed class Builder
    {
        private readonly int _count;
        private readonly string[] _vocabulary;
        private readonly string[] _codeWords;
        private readonly string[] _tags;
        private readonly Random _random;

        /// <summary>Cumulative Zipf weights over <see cref="_vocabulary"/>, so a few words are everywhere and most are rare.</summary>
        private readonly double[] _cumulative;

        public Builder(int count, string[] vocabulary, string[] tags, Random random)
        {
            _count = count;
            _random = random;
            _vocabulary = [.. vocabulary];
            _random.Shuffle(_vocabulary);
            _codeWords = [.. _vocabulary.Where(word => !PythonKeywords.Contains(word))];
            _tags = tags;
            _cumulative = new double[_vocabulary.Length];
            var total = 0d;
            for (var rank = 0; rank < _vocabulary.Length; rank++)
            {
                total += 1 / Math.Pow(rank + 1, 0.9);
                _cumulative[rank] = total;
            }
        }

        private readonly HashSet<string> _askedKeys = new(StringComparer.Ordinal);

        public GeneratedCourse Build()
        {
            // First the names, so related lists and "See also" can point at other concepts.
            var names = new List<(int Number, string[] Words, string Id, string Title)>(_count);
            for (var index = 0; index < _count; index++)
            {
                var number = index + 1;
                var words = Distinct(_random.Next(2, 4), UniformWord);
                var id = string.Join('-', words) + "-" + number.ToString(CultureInfo.InvariantCulture);
                var title = string.Join(' ', words.Select(Capitalize)) + " " + number.ToString(CultureInfo.InvariantCulture);
                names.Add((number, words, id, title));
            }

            var titles = names.ToDictionary(name => name.Id, name => name.Title, StringComparer.Ordinal);
            var concepts = new List<GeneratedConcept>(_count);
            foreach (var (number, words, id, title) in names)
            {
                var topic = words.Concat(Distinct(3, UniformWord)).ToArray();
                var aliases = Aliases(words, number);
                var tags = Distinct(_random.Next(2, 4), () => _tags[_random.Next(_tags.Length)]);
                var related = Distinct(_random.Next(2, 5), () =>
                {
                    var other = names[_random.Next(names.Count)];
                    return other.Id == id ? names[(other.Number % names.Count)].Id : other.Id;
                });
                var summary = Summary(words, topic);
                var body = Body(topic, [.. related.Select(relatedId => titles[relatedId])]);
                var asked = Asked(topic, number);
                var text = new StringBuilder()
                    .Append("---\n")
                    .Append("title: ").Append(title).Append('\n')
                    .Append("summary: \"").Append(summary).Append("\"\n")
                    .Append("aliases: [").AppendJoin(", ", aliases).Append("]\n")
                    .Append("tags: [").AppendJoin(", ", tags).Append("]\n")
                    .Append("related: [").AppendJoin(", ", related).Append("]\n")
                    .Append("level: ").Append(Levels[_random.Next(Levels.Length)]).Append('\n')
                    .Append("asked:\n").AppendJoin("", asked.Select(question => $"  - \"{question}\"\n"))
                    .Append("---\n")
                    .Append(body)
                    .ToString();
                concepts.Add(new GeneratedConcept(Courses[_random.Next(Courses.Length)], id, title, aliases, tags, summary, body, text));
            }

            return new GeneratedCourse(concepts);
        }

        /// <summary>
        /// 2–4 aliases, each ending in the concept's number: names normalize to letters then digits,
        /// and the digits alone tell concepts apart, so no two concepts can share a name.
        /// </summary>
        private string[] Aliases(string[] words, int number)
        {
            var suffix = number.ToString(CultureInfo.InvariantCulture);
            var candidates = new List<string>
            {
                $"{string.Join(' ', words.Reverse())} {suffix}",
                $"{words[0]} {suffix}",
                $"{string.Concat(words.Select(word => word[0]))} {suffix}",
                $"{ZipfWord()} {words[^1]} {suffix}",
                $"{string.Join('_', words)}_{suffix}",
            };
            _random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(candidates));
            return [.. candidates.Distinct(StringComparer.Ordinal).Take(_random.Next(2, 5))];
        }

        /// <summary>
        /// 30 learner questions, as the shipped course has 40 to 50: an opener and 3–6 words, mostly
        /// the concept's own, the rest common ones. A random of their own keeps the rest of the course
        /// as it was generated before concepts had them.
        /// </summary>
        private string[] Asked(string[] topic, int number)
        {
            string[] openers = ["why does my", "how do i", "what is", "my", "difference between", "help", "when to use", "", "error with"];
            var random = new Random(Seed ^ number);
            string CommonWord()
            {
                var index = Array.BinarySearch(_cumulative, random.NextDouble() * _cumulative[^1]);
                return _vocabulary[Math.Min(index < 0 ? ~index : index, _vocabulary.Length - 1)];
            }

            var questions = new List<string>(30);
            while (questions.Count < 30)
            {
                var words = Enumerable.Range(0, random.Next(3, 7)).Select(_ => random.Next(3) == 0 ? CommonWord() : topic[random.Next(topic.Length)]);
                var question = $"{openers[random.Next(openers.Length)]} {string.Join(' ', words)}".Trim();

                // The loader rejects a question asked twice, in one concept or across the course.
                if (_askedKeys.Add(Bot.Core.Search.TextNormalizer.Key(question)))
                {
                    questions.Add(question);
                }
            }

            return [.. questions];
        }

        private string Summary(string[] words, string[] topic)
        {
            var first = $"{Capitalize(string.Join(' ', words))} is {Sentence(8, 16, topic, plain: true)[..^1].ToLowerInvariant()}.";
            return _random.Next(2) == 0 ? first : first + " " + Sentence(8, 16, topic, plain: true);
        }

        private string Body(string[] topic, string[] relatedTitles)
        {
            var target = _random.Next(250, 401);
            var rest = new StringBuilder();
            rest.Append("## Example\n\n").Append(Sentence(8, 14, topic)).Append('\n').Append('\n');
            AppendCode(rest, topic);
            rest.Append("## Pitfalls\n\n");
            for (var item = _random.Next(2, 4); item > 0; item--)
            {
                rest.Append("- ").Append(Sentence(10, 20, topic)).Append('\n');
            }

            rest.Append("\n## See also\n\n");
            foreach (var title in relatedTitles)
            {
                rest.Append("- **").Append(title).Append("**: ").Append(Sentence(5, 10, topic)).Append('\n');
            }

            var words = WordCount(rest.ToString());
            var definition = new StringBuilder();
            var sentences = 0;
            while (words < target)
            {
                var sentence = Sentence(10, 20, topic);
                definition.Append(sentence);
                words += WordCount(sentence);
                sentences++;
                definition.Append(sentences % 4 == 0 ? "\n\n" : " ");
            }

            return definition.ToString().TrimEnd() + "\n\n" + rest;
        }

        private void AppendCode(StringBuilder text, string[] topic)
        {
            var function = $"{CodeWord(topic)}_{CodeWord(topic)}";
            var argument = CodeWord(topic);
            var option = CodeWord(topic) + "s";
            var result = CodeWord(topic) + "_list";
            var size = _random.Next(2, 6);
            text.Append("```python\n")
                .Append("def ").Append(function).Append('(').Append(argument).Append(", ").Append(option).Append("=None):\n")
                .Append("    \"\"\"").Append(Sentence(5, 9, topic, plain: true)).Append("\"\"\"\n")
                .Append("    ").Append(result).Append(" = [").Append(argument).Append(" * i for i in range(").Append(size).Append(")]\n")
                .Append("    if ").Append(option).Append(" is None:\n")
                .Append("        ").Append(option).Append(" = {}\n")
                .Append("    return ").Append(result).Append(", ").Append(option).Append('\n')
                .Append('\n')
                .Append("print(").Append(function).Append("(2))\n")
                .Append("```\n\n")
                .Append("```output\n")
                .Append('(').Append('[').AppendJoin(", ", Enumerable.Range(0, size).Select(i => (2 * i).ToString(CultureInfo.InvariantCulture))).Append("], {})\n")
                .Append("```\n\n");
        }

        /// <summary>A capitalized sentence ending in a full stop: glue words, topic words and Zipf-distributed vocabulary.</summary>
        private string Sentence(int minWords, int maxWords, string[] topic, bool plain = false)
        {
            var builder = new StringBuilder();
            var length = _random.Next(minWords, maxWords + 1);
            for (var position = 0; position < length; position++)
            {
                var roll = _random.NextDouble();
                var word = roll < 0.3 ? FunctionWords[_random.Next(FunctionWords.Length)]
                    : roll < 0.45 ? topic[_random.Next(topic.Length)]
                    : ZipfWord();
                if (position == 0)
                {
                    word = Capitalize(word);
                }
                else if (!plain && roll >= 0.3 && _random.Next(20) == 0)
                {
                    word = _random.Next(2) == 0 ? $"`{word}()`" : $"**{word}**";
                }

                builder.Append(word);
                if (position < length - 1)
                {
                    builder.Append(position > 2 && position < length - 3 && _random.Next(15) == 0 ? ", " : " ");
                }
            }

            return builder.Append('.').ToString();
        }

        private string UniformWord() => _vocabulary[_random.Next(_vocabulary.Length)];

        private string ZipfWord()
        {
            var index = Array.BinarySearch(_cumulative, _random.NextDouble() * _cumulative[^1]);
            return _vocabulary[Math.Min(index < 0 ? ~index : index, _vocabulary.Length - 1)];
        }

        private string CodeWord(string[] topic)
        {
            var candidate = topic[_random.Next(topic.Length)];
            return PythonKeywords.Contains(candidate) ? _codeWords[_random.Next(_codeWords.Length)] : candidate;
        }

        private static string[] Distinct(int count, Func<string> next)
        {
            var picked = new List<string>(count);
            while (picked.Count < count)
            {
                var word = next();
                if (!picked.Contains(word))
                {
                    picked.Add(word);
                }
            }

            return [.. picked];
        }

        private static string Capitalize(string word) => char.ToUpperInvariant(word[0]) + word[1..];

        private static int WordCount(string text) =>
            text.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries).Length;
    }

    /// <summary>
    /// A 6-word question around the four rarest words of one concept's summary and prose (code
    /// blocks left out), the way a learner describes something without knowing its name.
    /// </summary>
    public static string PhraseQuery(GeneratedCourse course, GeneratedConcept target)
    {
        var documentFrequency = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var concept in course.Concepts)
        {
            var fields = string.Join(' ', [concept.Title, .. concept.Aliases, concept.Summary, .. concept.Tags, concept.Body]);
            foreach (var term in WordPattern().Matches(fields.ToLowerInvariant()).Select(match => match.Value).Distinct())
            {
                documentFrequency[term] = documentFrequency.GetValueOrDefault(term) + 1;
            }
        }

        var prose = CodeBlockPattern().Replace(target.Summary + "\n" + target.Body, "");
        var words = WordPattern().Matches(prose.ToLowerInvariant())
            .Select(match => (Word: match.Value, Term: (string?)match.Value))
            .Where(pair => pair.Term is not null && documentFrequency.ContainsKey(pair.Term))
            .DistinctBy(pair => pair.Term)
            .OrderBy(pair => documentFrequency[pair.Term!])
            .Take(4)
            .Select(pair => pair.Word);
        return "how do " + string.Join(' ', words);
    }

    /// <summary>Whether <see cref="Transpose"/> can misspell the name: it has two different neighbouring letters after the first.</summary>
    public static bool CanTranspose(string name) =>
        name.Skip(1).Zip(name.Skip(2)).Any(pair => char.IsLetter(pair.First) && char.IsLetter(pair.Second) && pair.First != pair.Second);

    /// <summary>The name with two neighbouring letters swapped near its start, where a typo index must still find it.</summary>
    public static string Transpose(string name)
    {
        for (var index = 1; index + 1 < name.Length; index++)
        {
            if (char.IsLetter(name[index]) && char.IsLetter(name[index + 1]) && name[index] != name[index + 1])
            {
                var letters = name.ToCharArray();
                (letters[index], letters[index + 1]) = (letters[index + 1], letters[index]);
                return new string(letters);
            }
        }

        throw new ArgumentException($"'{name}' has no two different neighbouring letters to swap", nameof(name));
    }
}
