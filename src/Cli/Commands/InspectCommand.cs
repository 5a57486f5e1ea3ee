using System.CommandLine;
using System.Text.Json;
using Nscr.Cli.CommandLine;
using Nscr.Cli.Output;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Nscr.Cli.Commands;

/// <summary><c>nscr inspect &lt;repo&gt;:&lt;tag&gt;|&lt;repo&gt;@&lt;digest&gt;</c>: a manifest, its platforms or layers, size and referrers.</summary>
public static class InspectCommand
{
    private const string ImageConfigType = "application/vnd.oci.image.config.v1+json";

    public static Command Create(CliHost host, ConnectionOptions connection)
    {
        var image = new Argument<string>("image") { Description = "repo:tag or repo@digest (a bare repo means repo:latest)" };
        var command = new Command("inspect", "Show a manifest: type, size, tags, platforms or layers, referrers") { image };
        CliAction.Set(command, host, async (parse, cancellationToken) =>
        {
            var reference = ImageReference.Parse(parse.GetValue(image)!);
            if (reference.Reference is null) reference = reference with { Tag = "latest" };
            using var api = connection.Connect(parse, host);
            var answer = await api.GetAsync($"api/repositories/{reference.Repository}/manifests/{reference.Reference}", cancellationToken);
            if (parse.GetValue(connection.Json))
            {
                await CliAction.WriteJsonAsync(host, answer.Body);
                return ExitCodes.Ok;
            }
            Terminal.Write(host, Render(answer.Root));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static IRenderable Render(JsonElement manifest)
    {
        var grid = Terminal.Details();
        grid.AddField("repository", manifest.Str("name"));
        grid.AddField("digest", manifest.Str("digest"));
        grid.AddField("type", manifest.Str("mediaType"));
        // An image's config type is its artifact type by the referrers rules; worth showing only for other artifacts.
        if (manifest.Str("artifactType") is { Length: > 0 } artifactType && artifactType != ImageConfigType) grid.AddField("artifact type", artifactType);
        var tags = manifest.Items("tags").Select(t => t.GetString() ?? "").ToArray();
        grid.AddField("tags", tags.Length > 0 ? string.Join(", ", tags) : "(untagged)");
        grid.AddField("size", $"{Formats.Bytes(manifest.Long("sizeBytes"))} in all, manifest {Formats.Bytes(manifest.Long("manifestSize"))}");
        grid.AddField("pushed", Formats.Time(manifest.Get("pushedAt")));
        if (manifest.Str("subject") is { Length: > 0 } subject) grid.AddField("subject", subject);
        var parts = new List<IRenderable> { grid };

        var platforms = manifest.Items("platforms").ToArray();
        if (platforms.Length > 0)
        {
            parts.Add(Text.Empty);
            var table = Terminal.Table("PLATFORM", "DIGEST", "TYPE", "SIZE");
            foreach (var platform in platforms)
            {
                var name = platform.IsNull("os") ? "-" : Formats.Platform(platform);
                table.AddTextRow(name, platform.Str("digest"), Formats.MediaType(platform.Str("mediaType")), Formats.Bytes(platform.Long("sizeBytes")));
            }
            parts.Add(table);
        }
        var config = manifest.Get("config");
        var layers = manifest.Items("layers").ToArray();
        if (config.ValueKind == JsonValueKind.Object || layers.Length > 0)
        {
            parts.Add(Text.Empty);
            var table = Terminal.Table("PART", "DIGEST", "TYPE", "SIZE");
            if (config.ValueKind == JsonValueKind.Object) table.AddTextRow("config", config.Str("digest"), config.Str("mediaType"), Formats.Bytes(config.Long("size")));
            var index = 0;
            foreach (var layer in layers) table.AddTextRow($"layer {++index}", layer.Str("digest"), layer.Str("mediaType"), Formats.Bytes(layer.Long("size")));
            parts.Add(table);
        }
        var referrers = manifest.Items("referrers").ToArray();
        if (referrers.Length > 0)
        {
            parts.Add(Text.Empty);
            var table = Terminal.Table("REFERRER", "ARTIFACT TYPE", "SIZE");
            foreach (var referrer in referrers) table.AddTextRow(referrer.Str("digest"), referrer.Str("artifactType"), Formats.Bytes(referrer.Long("size")));
            parts.Add(table);
        }
        return new Rows(parts);
    }
}
