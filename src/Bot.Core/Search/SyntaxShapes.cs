using System.Text.RegularExpressions;

namespace Bot.Core.Search;

/// <summary>
/// The pieces of Python syntax a course teaches, recognised in code and in queries and turned into
/// terms of their own, so <c>lst[::-1]</c> finds the concept whose examples slice, and
/// <c>print(*names)</c> the one whose examples unpack into a call. A shape term is weighed like
/// any other term: it counts for a concept as much as that concept's code shows it.
/// </summary>
internal static partial class SyntaxShapes
{
    /// <summary>Shape terms start with a character no word has, so they never meet a word.</summary>
    public const string Prefix = "§";

    public const string ExceptionName = Prefix + "exception-name";

    /// <summary>Every shape needs one of these; most prose lines have none and skip the patterns.</summary>
    private static readonly System.Buffers.SearchValues<char> ShapeCharacters = System.Buffers.SearchValues.Create("[(*,@.=:_/->\"'%&|");

    /// <summary>Each shape with a piece of text every match contains, checked first because it is far cheaper than the pattern.</summary>
    private static readonly (string MustContain, Regex Pattern, string Term)[] Shapes =
    [
        (":", Slice(), Prefix + "slice"),
        (":", ExtendedSlice(), Prefix + "extended-slice"),
        (":", WholeSlice(), Prefix + "whole-slice"),
        ("for", GeneratorExpression(), Prefix + "generator-expression"),
        ("for", Comprehension(), Prefix + "comprehension"),
        ("*", StarParameter(), Prefix + "star-parameter"),
        ("**", DoubleStarParameter(), Prefix + "double-star-parameter"),
        ("*", StarArgument(), Prefix + "star-argument"),
        ("**", DoubleStarArgument(), Prefix + "double-star-argument"),
        ("*", StarTarget(), Prefix + "star-target"),
        (",", TupleTarget(), Prefix + "tuple-target"),
        ("@", Decorator(), Prefix + "decorator"),
        (".__", AttributeOfCall(), Prefix + "attribute-of-call"),
        ("__", PrivateName(), Prefix + "private-name"),
        ("with", WithBlock(), Prefix + "with-block"),
        (":", TryBlock(), Prefix + "try-block"),
        (":=", Walrus(), Prefix + "walrus"),
        ("//", FloorDivision(), Prefix + "floor-division"),
        ("**", Power(), Prefix + "power"),
        ("->", ReturnAnnotation(), Prefix + "return-annotation"),
        (" or ", OrLiteral(), Prefix + "or-literal"),
        ("%", Modulo(), Prefix + "modulo"),
        ("_", Underscore(), Prefix + "underscore-name"),
        ("*", BareStar(), Prefix + "bare-star"),
        ("&&", OtherLanguagesLogic(), Prefix + "c-logical-operator"),
        ("||", OtherLanguagesLogic(), Prefix + "c-logical-operator"),
    ];

    private const string NestedFunction = Prefix + "nested-function";

    /// <summary>Adds one term for each shape the code shows, once per line it shows it on.</summary>
    public static void Add(ReadOnlySpan<char> code, List<string> terms)
    {
        AddNestedFunctions(code, terms);
        foreach (var lineRange in code.Split('\n'))
        {
            var line = code[lineRange];
            if (line.IndexOfAny(ShapeCharacters) < 0)
            {
                continue;
            }

            foreach (var (mustContain, pattern, term) in Shapes)
            {
                if (line.Contains(mustContain, StringComparison.Ordinal) && pattern.IsMatch(line))
                {
                    terms.Add(term);
                }
            }

            AddLiterals(line, terms);
        }
    }

    /// <summary>
    /// String prefixes (<c>f"</c>, <c>r'</c>, <c>b"</c>) and numbers with a fraction, checked only on
    /// lines with a quote or a digit: the letters and dots they start from are on nearly every line.
    /// </summary>
    private static void AddLiterals(ReadOnlySpan<char> line, List<string> terms)
    {
        if (line.IndexOfAny('"', '\'') >= 0)
        {
            bool fString = false, raw = false, bytes = false;
            foreach (var match in StringPrefix().EnumerateMatches(line))
            {
                var prefix = line.Slice(match.Index, match.Length - 1);
                var isF = prefix.ContainsAny('f', 'F');
                var isB = prefix.ContainsAny('b', 'B');
                fString |= isF;
                bytes |= isB;
                raw |= !isF && !isB && prefix.ContainsAny('r', 'R');
            }

            AddIf(fString, Prefix + "f-string");
            AddIf(raw, Prefix + "raw-string");
            AddIf(bytes, Prefix + "bytes-literal");
        }

        if (line.Contains('.') && line.IndexOfAnyInRange('0', '9') >= 0 && FloatLiteral().IsMatch(line))
        {
            terms.Add(Prefix + "float-literal");
        }

        void AddIf(bool found, string term)
        {
            if (found)
            {
                terms.Add(term);
            }
        }
    }

    /// <summary>
    /// A <c>def</c> inside a <c>def</c>, the shape of closures and decorators: by indentation in a
    /// block, or two <c>def</c>s on one line as a learner types it in chat.
    /// </summary>
    private static void AddNestedFunctions(ReadOnlySpan<char> text, List<string> terms)
    {
        if (!text.Contains("def", StringComparison.Ordinal))
        {
            return;
        }

        var openDefinitions = new Stack<(int Indent, bool IsFunction)>();
        foreach (var lineRange in text.Split('\n'))
        {
            var line = text[lineRange];
            var code = line.TrimStart();
            if (code.Length == 0 || code[0] == '#')
            {
                continue;
            }

            var indent = line.Length - code.Length;
            while (openDefinitions.Count > 0 && openDefinitions.Peek().Indent >= indent)
            {
                openDefinitions.Pop();
            }

            var isFunction = code.StartsWith("def ", StringComparison.Ordinal) || code.StartsWith("async def ", StringComparison.Ordinal);
            if (isFunction && (openDefinitions.Any(definition => definition.IsFunction) || DefKeyword().Count(code) > 1))
            {
                terms.Add(NestedFunction);
            }

            if (isFunction || code.StartsWith("class ", StringComparison.Ordinal))
            {
                openDefinitions.Push((indent, isFunction));
            }
        }
    }

    [GeneratedRegex(@"\bdef\s")]
    private static partial Regex DefKeyword();

    /// <summary><c>self.__balance</c> or its mangled form <c>_Account__balance</c>: a class-private name, not a dunder.</summary>
    [GeneratedRegex(@"(?<![\w])(_[A-Za-z][A-Za-z0-9]*)?__[A-Za-z]\w*?(?<!__)\b")]
    private static partial Regex PrivateName();

    /// <summary><c>with open(path) as f:</c>, <c>with lock:</c>.</summary>
    [GeneratedRegex(@"^\s*(async\s+)?with\s+[\w.]+.*(\bas\s+\w+|:\s*$)")]
    private static partial Regex WithBlock();

    /// <summary><c>try:</c>, <c>except KeyError as e:</c>, <c>finally:</c>.</summary>
    [GeneratedRegex(@"^\s*(try\s*:|except\b.*:|finally\s*:)")]
    private static partial Regex TryBlock();

    /// <summary><c>seq[1:3]</c>, <c>[::-1]</c>: a subscript with a colon (not a dict display, which uses braces).</summary>
    [GeneratedRegex(@"\[[^\[\]{}\n]*:[^\[\]{}\n]*\]")]
    private static partial Regex Slice();

    /// <summary><c>s[::-1]</c>, <c>s[1:10:2]</c>: a slice with a step.</summary>
    [GeneratedRegex(@"\[[^\[\]{}\n]*:[^\[\]{}\n]*:[^\[\]{}\n]*\]")]
    private static partial Regex ExtendedSlice();

    /// <summary><c>a[:]</c>: the whole sequence, the copying idiom.</summary>
    [GeneratedRegex(@"\w\[\s*:\s*\]")]
    private static partial Regex WholeSlice();

    /// <summary><c>(x for x in data)</c> and <c>sum(x for x in data)</c>.</summary>
    [GeneratedRegex(@"\([^()\[\]]*?\bfor\s+[\w, ()]+?\s+in\b")]
    private static partial Regex GeneratorExpression();

    /// <summary>List, set and dict comprehensions.</summary>
    [GeneratedRegex(@"[\[{][^\[\]{}]*?\bfor\s+[\w, ()]+?\s+in\b")]
    private static partial Regex Comprehension();

    /// <summary><c>def f(*args)</c>, <c>def f(a, *, b)</c>, <c>lambda *a: a</c>.</summary>
    [GeneratedRegex(@"(\bdef\s+\w+\s*\([^)]*|\blambda\b[^:]*)(?<!\*)\*(?!\*)")]
    private static partial Regex StarParameter();

    [GeneratedRegex(@"(\bdef\s+\w+\s*\([^)]*|\blambda\b[^:]*)\*\*")]
    private static partial Regex DoubleStarParameter();

    /// <summary><c>print(*names)</c>, <c>f(1, *rest)</c>, <c>[*a, *b]</c>: a starred expression that is not a parameter.</summary>
    [GeneratedRegex(@"^(?!\s*(def|lambda)\b)(?!.*\blambda\b).*[(\[,]\s*\*(?!\*)\s*\w")]
    private static partial Regex StarArgument();

    /// <summary><c>f(**options)</c>, <c>{**a, **b}</c>.</summary>
    [GeneratedRegex(@"^(?!\s*(def|lambda)\b)(?!.*\blambda\b).*[({,]\s*\*\*\s*\w")]
    private static partial Regex DoubleStarArgument();

    /// <summary><c>first, *rest = items</c>.</summary>
    [GeneratedRegex(@"^\s*(\w+\s*,\s*)*\*\w+\s*(,\s*\w+\s*)*=(?!=)|^\s*\w+\s*,\s*\*\w+")]
    private static partial Regex StarTarget();

    /// <summary><c>a, b = b, a</c> and <c>for key, value in pairs</c>.</summary>
    [GeneratedRegex(@"^\s*\(?\w+\s*,\s*\w+(\s*,\s*\w+)*\)?\s*=(?!=)|\bfor\s+\(?\w+\s*,\s*\w+")]
    private static partial Regex TupleTarget();

    /// <summary><c>(n := len(items))</c>: an assignment expression, alone or in code.</summary>
    [GeneratedRegex(@"(^|[\w\s(])\s*:=")]
    private static partial Regex Walrus();

    /// <summary><c>7 // 2</c>, <c>x //= 2</c>, or the operator on its own; not a URL's <c>://</c>.</summary>
    [GeneratedRegex(@"(?<![:/])//(?!/)")]
    private static partial Regex FloorDivision();

    /// <summary>
    /// <c>2 ** 10</c>, <c>-2**2</c>, or the operator on its own; not <c>**kwargs</c> in a call or a
    /// definition, nor prose such as "what do * and ** mean", where a word like "and" is no operand.
    /// </summary>
    [GeneratedRegex(@"((?<![A-Za-z_])(?!(and|or|not|in|is|of|the|vs|with)\b)[A-Za-z_]\w*\s*\*\*\s*[-\w(.]|[\d)\]]\s*\*\*\s*[-\w(.]|^\s*\*\*\s*$)")]
    private static partial Regex Power();

    /// <summary><c>def f(x) -> int:</c>, or the arrow on its own.</summary>
    [GeneratedRegex(@"(\)\s*->|^\s*->\s*$|\s->\s)")]
    private static partial Regex ReturnAnnotation();

    /// <summary><c>x == 'a' or 'b'</c>: a comparison "or" a bare literal, the condition that is always true.</summary>
    [GeneratedRegex(@"==\s*(['""\w.]+)\s+or\s+(['""]|\d)")]
    private static partial Regex OrLiteral();

    /// <summary><c>f"{name}"</c>, <c>rf'...'</c>, <c>r"\d+"</c>, <c>b'data'</c>: a string prefix and the quote it opens.</summary>
    [GeneratedRegex(@"(?<![\w'""])([rR]?[fFbB][rR]?|[rR])(""|')")]
    private static partial Regex StringPrefix();

    /// <summary><c>0.1 + 0.2</c>, <c>2.675</c>: a number with a fractional part (not a version such as 3.12.1).</summary>
    [GeneratedRegex(@"(?<![\w.])\d+\.\d+(?![\w.])")]
    private static partial Regex FloatLiteral();

    /// <summary><c>-7 % 2</c>, <c>n % 2 == 0</c>: the remainder operator between operands (not <c>"%s" % x</c>).</summary>
    [GeneratedRegex(@"[\w)\]]\s*%=?\s*[-\w(]")]
    private static partial Regex Modulo();

    /// <summary><c>for _ in range(3)</c>, <c>_, b = pair</c>, "what does _ mean": the lone underscore name.</summary>
    [GeneratedRegex(@"(?<![\w'""])_(?![\w'""])")]
    private static partial Regex Underscore();

    /// <summary>"what do * and ** mean", <c>`**`</c>: a star standing alone, as prose names the operator.</summary>
    [GeneratedRegex(@"(^|[\s'""`(])\*{1,2}(?=$|[\s'""`),?])")]
    private static partial Regex BareStar();

    /// <summary><c>&amp;&amp;</c> and <c>||</c>: C's and JavaScript's logical operators, which Python spells <c>and</c> and <c>or</c>.</summary>
    [GeneratedRegex(@"&&|\|\|")]
    private static partial Regex OtherLanguagesLogic();

    /// <summary><c>@decorator</c> or <c>@functools.wraps(f)</c> at the start of a line.</summary>
    [GeneratedRegex(@"^\s*@[A-Za-z_][\w.]*")]
    private static partial Regex Decorator();

    /// <summary><c>f.__name__</c>: an attribute of a function or object, as opposed to a module's own <c>__name__</c>.</summary>
    [GeneratedRegex(@"\w\.__\w+__")]
    private static partial Regex AttributeOfCall();
}
