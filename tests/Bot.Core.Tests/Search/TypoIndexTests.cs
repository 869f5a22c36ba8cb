using Bot.Core.Search;

namespace Bot.Core.Tests.Search;

public class TypoIndexTests
{
    [Theory]
    [InlineData("closures", "closures", 0)]
    [InlineData("closurs", "closures", 1)]
    [InlineData("clsoures", "closures", 1)]
    [InlineData("decarator", "decorator", 1)]
    [InlineData("decarater", "decorator", 2)]
    [InlineData("", "abc", 3)]
    [InlineData("kitten", "sitting", 3)]
    public void Distance_KnownPairs_MatchesOptimalStringAlignment(string a, string b, int expected)
    {
        Assert.Equal(expected, TypoIndex.Distance(a, b, 5));
    }

    [Fact]
    public void Find_RandomKeysAndQueries_AgreesWithBruteForce()
    {
        var random = new Random(1234);
        var keys = Enumerable.Range(0, 400).Select(_ => RandomWord(random, 3, 12)).Distinct().ToList();
        var index = new TypoIndex(keys);

        for (var trial = 0; trial < 400; trial++)
        {
            var query = Mutate(random, keys[random.Next(keys.Count)]);
            var allowed = TypoIndex.AllowedDistance(query.Length);

            var found = index.Find(query, allowed).Select(hit => keys[hit.KeyIndex]).Order().ToList();

            var expected = keys.Where(key => allowed > 0 && BruteForceDistance(query, key) <= allowed).Order().ToList();
            Assert.Equal(expected, found);
        }
    }

    private static string RandomWord(Random random, int minLength, int maxLength) =>
        new([.. Enumerable.Range(0, random.Next(minLength, maxLength + 1)).Select(_ => (char)('a' + random.Next(6)))]);

    private static string Mutate(Random random, string word)
    {
        var chars = word.ToList();
        for (var edits = random.Next(0, 3); edits > 0 && chars.Count > 1; edits--)
        {
            var at = random.Next(chars.Count);
            switch (random.Next(4))
            {
                case 0: chars.RemoveAt(at); break;
                case 1: chars.Insert(at, (char)('a' + random.Next(6))); break;
                case 2: chars[at] = (char)('a' + random.Next(6)); break;
                default:
                    if (at + 1 < chars.Count)
                    {
                        (chars[at], chars[at + 1]) = (chars[at + 1], chars[at]);
                    }

                    break;
            }
        }

        return new string([.. chars]);
    }

    /// <summary>Textbook optimal-string-alignment distance, with no cut-offs, as the reference.</summary>
    private static int BruteForceDistance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
