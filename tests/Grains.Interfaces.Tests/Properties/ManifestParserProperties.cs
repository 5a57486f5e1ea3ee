using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Nscr.Oci;

namespace Nscr.Grains.Interfaces.Tests.Properties;

/// <summary>ManifestParser: generated valid manifests round-trip; arbitrary bytes and structurally wrong JSON only ever
/// fail with MANIFEST_INVALID or DIGEST_INVALID.</summary>
[Properties(Arbitrary = [typeof(ManifestGenerators)], MaxTest = 300)]
public sealed class ManifestParserProperties
{
    [Property]
    public Property ValidImageManifests_RoundTrip(ValidManifest manifest)
    {
        var parsed = ManifestParser.Parse(Encoding.UTF8.GetBytes(manifest.Json.ToJsonString()), manifest.ContentType);
        var layers = parsed.Layers.Select(l => l.Digest.ToString()).ToArray();
        return (parsed.MediaType == manifest.MediaType
                && parsed.Config?.Digest.ToString() == manifest.Config
                && layers.SequenceEqual(manifest.Layers))
            .Label(manifest.Json.ToJsonString());
    }

    [Property]
    public Property ArbitraryBytes_FailOnlyWithOciErrors(byte[] body, string? contentType) =>
        OnlyOciErrors(body ?? [], contentType);

    [Property]
    public Property WrongJson_FailsOnlyWithOciErrors(WrongManifest manifest) =>
        OnlyOciErrors(Encoding.UTF8.GetBytes(manifest.Json), manifest.ContentType);

    private static Property OnlyOciErrors(byte[] body, string? contentType)
    {
        try
        {
            var parsed = ManifestParser.Parse(body, contentType);
            // Accepted: what it reports must be a manifest media type with well-formed descriptors.
            return (MediaTypes.IsManifest(parsed.MediaType)
                    && parsed.Layers.Concat(parsed.Manifests).All(d => d.Size >= 0 && Digest.TryParse(d.Digest.ToString(), out _)))
                .Label($"accepted as {parsed.MediaType}");
        }
        catch (OciException e)
        {
            return (e.Code is OciErrorCode.ManifestInvalid or OciErrorCode.DigestInvalid).Label($"code {e.Code}");
        }
    }
}

public sealed record ValidManifest(JsonObject Json, string ContentType, string MediaType, string Config, string[] Layers);

public sealed record WrongManifest(string Json, string? ContentType);

public static class ManifestGenerators
{
    private static readonly string[] ManifestTypes =
    [
        MediaTypes.OciManifest, MediaTypes.DockerManifest, MediaTypes.OciIndex, MediaTypes.DockerManifestList,
        "application/json", "text/plain", "", "application/vnd.oci.image.manifest.v1+json; charset=utf-8",
    ];

    private static Gen<string> DigestGen() => OciGenerators.DigestGen().Select(d => d.ToString());

    public static Arbitrary<ValidManifest> ValidManifest() =>
        (from docker in Gen.Elements(false, true)
         from declared in Gen.Elements(false, true)
         from config in DigestGen()
         from count in Gen.Choose(0, 5)
         from layers in Gen.ArrayOf(DigestGen(), count)
         from size in Gen.Choose(0, int.MaxValue)
         select Build(docker, declared, config, layers, size)).ToArbitrary();

    private static ValidManifest Build(bool docker, bool declared, string config, string[] layers, long size)
    {
        var mediaType = docker ? MediaTypes.DockerManifest : MediaTypes.OciManifest;
        var json = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = mediaType,
            ["config"] = Descriptor("application/vnd.oci.image.config.v1+json", config, size),
            ["layers"] = new JsonArray(layers.Select(l => (JsonNode)Descriptor("application/vnd.oci.image.layer.v1.tar", l, size)).ToArray()),
        };
        return new ValidManifest(json, declared ? mediaType : "", mediaType, config, layers);
    }

    private static JsonObject Descriptor(string mediaType, string digest, long size) =>
        new() { ["mediaType"] = mediaType, ["digest"] = digest, ["size"] = size };

    /// <summary>JSON shaped like a manifest with fields missing, of the wrong type, or with hostile values.</summary>
    public static Arbitrary<WrongManifest> WrongManifest() =>
        (from fields in Gen.SubListOf(["schemaVersion", "mediaType", "config", "layers", "manifests", "subject", "annotations", "artifactType"])
         from values in Gen.ArrayOf(Value(), fields.Count)
         from contentType in Gen.Elements(ManifestTypes)
         select new WrongManifest(
             "{" + string.Join(",", fields.Select((f, i) => $"\"{f}\":{values[i]}")) + "}", contentType)).ToArbitrary();

    private static Gen<string> Value() => Gen.Sized(size => ValueOfDepth(Math.Min(3, size / 20)));

    private static Gen<string> ValueOfDepth(int depth)
    {
        var scalars = Gen.OneOf(
            Gen.Elements("null", "true", "2", "-1", "1e400", "2.0", "\"\"", "\"sha256:\"", "18446744073709551616"),
            DigestGen().Select(d => $"\"{d}\""),
            Gen.Elements(MediaTypes.OciManifest, MediaTypes.OciIndex, "x").Select(t => $"\"{t}\""));
        if (depth <= 0) return scalars;
        var descriptor =
            from mediaType in Gen.OneOf(scalars, Gen.Constant("\"application/octet-stream\""))
            from digest in Gen.OneOf(scalars, DigestGen().Select(d => $"\"{d}\""))
            from size in Gen.OneOf(scalars, Gen.Choose(0, 1000).Select(n => n.ToString()))
            select $"{{\"mediaType\":{mediaType},\"digest\":{digest},\"size\":{size}}}";
        return Gen.Frequency(
            (3, scalars),
            (3, descriptor),
            (2, Gen.Choose(0, 4).SelectMany(n => Gen.ArrayOf(Gen.OneOf(descriptor, ValueOfDepth(depth - 1)), n)).Select(l => "[" + string.Join(",", l) + "]")),
            (1, ValueOfDepth(depth - 1).Select(v => $"{{\"k\":{v}}}")));
    }
}
