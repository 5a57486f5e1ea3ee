using FsCheck;
using FsCheck.Fluent;

namespace Nscr.Grains.Interfaces.Tests.Properties;

public sealed record ValidName(string Value)
{
    public override string ToString() => Value;
}

public sealed record ValidTag(string Value)
{
    public override string ToString() => Value;
}

public sealed record DigestText(string Algorithm, string Hex)
{
    public override string ToString() => $"{Algorithm}:{Hex}";
}

/// <summary>Text that is often almost valid: a valid value with a few characters inserted, removed or replaced,
/// mixed with arbitrary strings, so the properties probe the edges of each grammar and not only random noise.</summary>
public sealed record HostileText(string Value)
{
    public override string ToString() => Value;
}

/// <summary>Generators of valid OCI values straight from the spec's grammar, and of near-misses.</summary>
public static class OciGenerators
{
    private const string Lower = "abcdefghijklmnopqrstuvwxyz0123456789";
    private const string TagFirst = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_";
    private const string TagRest = TagFirst + ".-";
    private const string Hex = "0123456789abcdef";

    /// <summary>Characters that break grammars and paths: separators, dots, escapes, controls, non-ASCII look-alikes.</summary>
    private static readonly char[] Nasty = ['/', '.', '_', '-', ':', '%', '\\', '\0', '\n', '\r', ' ', '\t', '@', '+', '=', '?', '#', 'A', 'Z', 'é', 'ı', 'K', '\u212A', '\u0660', '\uFF10', '\u200B', '\uD800', '*', '"', '{', '}'];

    public static Gen<string> Alnum(int min, int max) =>
        Gen.Choose(min, max).SelectMany(n => Gen.ArrayOf(Gen.Elements(Lower.ToCharArray()), n)).Select(c => new string(c));

    public static Gen<string> Component() =>
        from first in Alnum(1, 6)
        from count in Gen.Choose(0, 3)
        from parts in Gen.ArrayOf(
            from separator in Gen.Elements(".", "_", "__", "-", "--", "---")
            from word in Alnum(1, 5)
            select separator + word, count)
        select first + string.Concat(parts);

    public static Gen<ValidName> NameGen() =>
        Gen.Choose(1, 4).SelectMany(n => Gen.ArrayOf(Component(), n))
            .Select(components => string.Join('/', components))
            .Where(name => name.Length <= 255)
            .Select(name => new ValidName(name));

    public static Gen<ValidTag> TagGen() =>
        from first in Gen.Elements(TagFirst.ToCharArray())
        from length in Gen.Frequency((5, Gen.Choose(0, 20)), (1, Gen.Choose(120, 127)))
        from rest in Gen.ArrayOf(Gen.Elements(TagRest.ToCharArray()), length)
        select new ValidTag(first + new string(rest));

    /// <summary>The hex comes from a seeded Random: 64 or 128 generated characters each would make the
    /// properties slow for no extra coverage.</summary>
    public static Gen<DigestText> DigestGen() =>
        from algorithm in Gen.Frequency((4, Gen.Constant("sha256")), (1, Gen.Constant("sha512")))
        from seed in Gen.Choose(0, int.MaxValue)
        select new DigestText(algorithm, RandomHex(seed, algorithm == "sha256" ? 64 : 128));

    private static string RandomHex(int seed, int length)
    {
        var random = new Random(seed);
        return string.Create(length, random, (span, r) =>
        {
            for (var i = 0; i < span.Length; i++) span[i] = Hex[r.Next(16)];
        });
    }

    /// <summary>Inserts, deletes or replaces a few characters of <paramref name="valid"/>.</summary>
    public static Gen<string> Mutate(Gen<string> valid) =>
        from text in valid
        from edits in Gen.Choose(1, 3)
        from positions in Gen.ArrayOf(Gen.Choose(0, 1000), edits)
        from kinds in Gen.ArrayOf(Gen.Choose(0, 2), edits)
        from characters in Gen.ArrayOf(Gen.Elements(Nasty), edits)
        select Apply(text, positions, kinds, characters);

    private static string Apply(string text, int[] positions, int[] kinds, char[] characters)
    {
        var builder = new System.Text.StringBuilder(text);
        for (var i = 0; i < positions.Length; i++)
        {
            var at = builder.Length == 0 ? 0 : positions[i] % builder.Length;
            switch (kinds[i])
            {
                case 0: builder.Insert(at, characters[i]); break;
                case 1 when builder.Length > 0: builder.Remove(at, 1); break;
                default:
                    if (builder.Length > 0) builder[at] = characters[i];
                    else builder.Append(characters[i]);
                    break;
            }
        }
        return builder.ToString();
    }

    public static Gen<HostileText> HostileGen() =>
        Gen.Frequency(
            (3, Mutate(NameGen().Select(n => n.Value))),
            (3, Mutate(TagGen().Select(t => t.Value))),
            (3, Mutate(DigestGen().Select(d => d.ToString()))),
            (1, Gen.Elements("", "..", "../..", "a/../b", "sha256:", ":", "a//b", "a/", "/a", new string('a', 256), new string('a', 255),
                "sha384:" + new string('a', 96), "SHA256:" + new string('a', 64))),
            (3, ArbMap.Default.GeneratorFor<string>().Where(s => s is not null)))
        .Select(s => new HostileText(s));

    public static Arbitrary<ValidName> ValidName() => NameGen().ToArbitrary();

    public static Arbitrary<ValidTag> ValidTag() => TagGen().ToArbitrary();

    public static Arbitrary<DigestText> DigestText() => DigestGen().ToArbitrary();

    public static Arbitrary<HostileText> HostileText() => HostileGen().ToArbitrary();
}
