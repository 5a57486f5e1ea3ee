namespace Nscr.Scale;

/// <summary>
/// The benchmark's shape and the names and images it implies, the same in every phase: the big repository
/// <c>PREFIX/one</c> (tags <c>t000000</c>…), the shared base <c>PREFIX/base:latest</c>, and the many repositories
/// <c>PREFIX/r00000</c>… whose tags <c>t0</c>… all stand on the mounted base plus one layer of their own.
/// </summary>
public sealed class Shape
{
    public Shape(ScaleArgs args)
    {
        Registry = new Uri(args.Required("url"));
        if (!Registry.IsLoopback) throw new ArgumentException($"--url {Registry} is not a loopback address");
        Clients = args.Number("clients", 8);
        Tags = args.Number("tags", 10_000);
        Repos = args.Number("repos", 5_000);
        TagsPerRepo = args.Number("tags-per-repo", 4);
        Slice = args.Number("slice", 1_000);
        Page = args.Number("page", 1_000);
        Repeat = args.Number("repeat", 5);
        Prefix = args.Text("prefix", "scale");
        Content = new Content(args.Text("seed", "nscr-scale-v1"), args.Number("layer-bytes", 1024));
    }

    public Uri Registry { get; }

    public int Clients { get; }

    public int Tags { get; }

    public int Repos { get; }

    public int TagsPerRepo { get; }

    public int Slice { get; }

    public int Page { get; }

    public int Repeat { get; }

    public string Prefix { get; }

    public Content Content { get; }

    public string BigRepository => $"{Prefix}/one";

    public string BaseRepository => $"{Prefix}/base";

    public static string BigTag(int index) => $"t{index:D6}";

    public string Repository(int index) => $"{Prefix}/r{index:D5}";

    public static string RepoTag(int index) => $"t{index}";

    /// <summary>The big repository's image <paramref name="index"/>: a config and two layers of its own.</summary>
    public Image BigImage(int index)
    {
        Blob[] layers = [Content.Layer($"one/{index}/0"), Content.Layer($"one/{index}/1")];
        return Content.Image(Content.Config($"one/{index}", layers), layers);
    }

    public Blob BaseLayer => Content.Layer("base");

    public Image BaseImage => Content.Image(Content.Config("base", [BaseLayer]), [BaseLayer]);

    public Blob RepoLayer(int repository) => Content.Layer($"repo/{repository}");

    /// <summary>Tag <paramref name="tag"/> of repository <paramref name="repository"/>: the base's config, base + own layer.</summary>
    public Image RepoImage(int repository, int tag, Blob ownLayer)
    {
        var baseImage = BaseImage;
        return Content.Image(baseImage.Config, [baseImage.Layers[0], ownLayer], $"{repository}/{tag}");
    }
}
