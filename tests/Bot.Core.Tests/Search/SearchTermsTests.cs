using Bot.Core.Search;

namespace Bot.Core.Tests.Search;

public class SearchTermsTests
{
    private static List<string> Terms(string query) =>
        [.. SearchTerms.Query(query).SelectMany(word => word.Surface is null ? [word.Term] : new[] { word.Term, word.Surface })];

    [Fact]
    public void Query_AttributeAccess_IsTheObjectAndTheWholeDunder()
    {
        var terms = Terms("f.__name__");

        Assert.Contains("f", terms);
        Assert.Contains("__name__", terms);
        Assert.DoesNotContain("name", terms);
        Assert.Contains("§attribute-of-call", terms);
    }

    [Fact]
    public void Query_BareDunder_IsNotAnAttributeOfAnObject()
    {
        Assert.DoesNotContain("§attribute-of-call", Terms("if __name__ == '__main__':"));
    }

    [Fact]
    public void Query_ExceptionName_IsWholeItsWordsAndAnExceptionShape()
    {
        var terms = Terms("UnboundLocalError");

        Assert.Equal(["§exception-name", "unboundlocalerror", "unbound", "local", "error"], terms);
    }

    [Fact]
    public void Query_SnakeCase_IsWholeAndItsWords()
    {
        var terms = Terms("make_counter");

        Assert.Contains("make_counter", terms);
        Assert.Contains("make", terms);
        Assert.Contains("counter", terms);
    }

    [Theory]
    [InlineData("lst[::-1]", "§slice")]
    [InlineData("s[1:3]", "§slice")]
    [InlineData("s[::-1]", "§extended-slice")]
    [InlineData("b = a[:]", "§whole-slice")]
    [InlineData("sum(x for x in nums)", "§generator-expression")]
    [InlineData("(x * x for x in data)", "§generator-expression")]
    [InlineData("[x for x in data]", "§comprehension")]
    [InlineData("def f(*args):", "§star-parameter")]
    [InlineData("def f(**kwargs):", "§double-star-parameter")]
    [InlineData("print(*names)", "§star-argument")]
    [InlineData("f(**options)", "§double-star-argument")]
    [InlineData("first, *rest = items", "§star-target")]
    [InlineData("a, b = b, a", "§tuple-target")]
    [InlineData("for key, value in pairs.items():", "§tuple-target")]
    [InlineData("@functools.wraps(f)", "§decorator")]
    [InlineData("with open(path) as f:", "§with-block")]
    [InlineData("except KeyError as error:", "§try-block")]
    [InlineData("self.__balance", "§private-name")]
    [InlineData("obj._Account__balance", "§private-name")]
    [InlineData("def outer(): def inner(): pass", "§nested-function")]
    [InlineData("while (line := f.readline()):", "§walrus")]
    [InlineData(":=", "§walrus")]
    [InlineData("-7 // 2", "§floor-division")]
    [InlineData("what does // do", "§floor-division")]
    [InlineData("-2**2", "§power")]
    [InlineData("x ** 0.5", "§power")]
    [InlineData("def f(x) -> int:", "§return-annotation")]
    [InlineData("what is -> in a def", "§return-annotation")]
    [InlineData("if name == 'a' or 'b':", "§or-literal")]
    [InlineData("f\"{x=}\"", "§f-string")]
    [InlineData("print(f'{total:.2f}')", "§f-string")]
    [InlineData("re.compile(r\"\\d+\")", "§raw-string")]
    [InlineData("data = b'abc'", "§bytes-literal")]
    [InlineData("what do * and ** mean", "§bare-star")]
    [InlineData("0.1 + 0.2 == 0.3", "§float-literal")]
    [InlineData("round(2.675, 2)", "§float-literal")]
    [InlineData("-7 % 2", "§modulo")]
    [InlineData("if n % 2 == 0:", "§modulo")]
    public void Query_Code_YieldsTheSyntaxItShows(string code, string shape)
    {
        Assert.Contains(shape, Terms(code));
    }

    [Theory]
    [InlineData("def f(*args):", "§star-argument")]
    [InlineData("print(*names)", "§star-parameter")]
    [InlineData("d = {'a': 1}", "§slice")]
    [InlineData("s[1:3]", "§extended-slice")]
    [InlineData("s[1:3]", "§whole-slice")]
    [InlineData("x = [1, 2, 3]", "§comprehension")]
    [InlineData("__init__", "§private-name")]
    [InlineData("def outer(): pass", "§nested-function")]
    [InlineData("print(**options)", "§power")]
    [InlineData("what do * and ** mean", "§power")]
    [InlineData("def f(*args):", "§bare-star")]
    [InlineData("2 * 3", "§power")]
    [InlineData("def f(**kwargs):", "§power")]
    [InlineData("see https://docs.python.org", "§floor-division")]
    [InlineData("if a == 'x' or b == 'y':", "§or-literal")]
    [InlineData("print('elif')", "§f-string")]
    [InlineData("x = 'abc'", "§bytes-literal")]
    [InlineData("x = 'abc'", "§raw-string")]
    [InlineData("python 3.12.1 is installed", "§float-literal")]
    [InlineData("print('%s' % name)", "§modulo")]
    public void Query_Code_DoesNotYieldShapesItDoesNotShow(string code, string shape)
    {
        Assert.DoesNotContain(shape, Terms(code));
    }

    [Fact]
    public void Code_NestedByIndentation_IsANestedFunction()
    {
        var terms = new List<string>();
        SearchTerms.AddCode("def outer():\n    def inner():\n        return 1\n    return inner\n", terms);

        Assert.Contains("§nested-function", terms);
    }

    [Fact]
    public void Code_MethodsOfAClass_AreNotNestedFunctions()
    {
        var terms = new List<string>();
        SearchTerms.AddCode("class A:\n    def f(self):\n        pass\n    def g(self):\n        pass\n", terms);

        Assert.DoesNotContain("§nested-function", terms);
    }

    [Theory]
    [InlineData("threads", "thread")]
    [InlineData("threading", "thread")]
    [InlineData("iterator", "iterat")]
    [InlineData("iteration", "iterat")]
    [InlineData("iterate", "iterat")]
    [InlineData("iterable", "iterabl")]
    [InlineData("decorators", "decorat")]
    [InlineData("classes", "class")]
    [InlineData("passing", "pass")]
    [InlineData("running", "run")]
    [InlineData("args", "arg")]
    public void Stem_FoldsTheFormsOfAWord(string word, string stem)
    {
        Assert.Equal(stem, SearchTerms.Stem(word));
    }

    [Fact]
    public void Query_PluralOfABuiltIn_KeepsTheFormTyped()
    {
        var word = Assert.Single(SearchTerms.Query("globals"));

        Assert.Equal(("global", "globals"), (word.Term, word.Surface));
    }

    [Fact]
    public void Query_StopWordsAndGreetings_GiveNoTerms()
    {
        Assert.Empty(SearchTerms.Query("what does the"));
        Assert.Empty(SearchTerms.Query("hi, thanks!"));
    }

    [Fact]
    public void Query_PythonKeywords_AreNeverStopWords()
    {
        Assert.Equal(["is", "with", "for", "in", "global"], SearchTerms.Query("is with for in global").Select(word => word.Term));
    }

    /// <summary>"what is", "is it", "in python" are English; "x is None" and "k in d" are code.</summary>
    [Theory]
    [InlineData("what is a closure", "closur")]
    [InlineData("how is it slow", "slow")]
    [InlineData("sort a list in python", "sort list")]
    [InlineData("x is None", "x is none")]
    [InlineData("if key in d", "if key in d")]
    [InlineData("what is the difference between is and ==", "differenc between is and")]
    public void Query_IsAndInAsEnglish_AreNotTheOperators(string query, string expected) =>
        Assert.Equal(expected, string.Join(' ', SearchTerms.Query(query).Select(word => word.Term)));
}
