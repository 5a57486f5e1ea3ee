namespace Nscr.Scale;

/// <summary>The write phases: <c>push-one-repo</c>, <c>push-many-repos</c>, <c>delete-half</c>.</summary>
public static class PushPhases
{
    /// <summary>Distinct images, each under its own tag, into one repository; rate and PUT latency per slice.</summary>
    public static async Task PushOneRepoAsync(Shape shape, RegistryClient client, CancellationToken cancellationToken)
    {
        var repository = shape.BigRepository;
        var completions = await Workers.RunAsync(shape.Tags, shape.Clients, async (index, cancel) =>
        {
            var image = shape.BigImage(index);
            await client.UploadAsync(repository, image.Config, cancel);
            foreach (var layer in image.Layers) await client.UploadAsync(repository, layer, cancel);
            return [await client.PutManifestAsync(repository, Shape.BigTag(index), image, cancel)];
        }, cancellationToken);
        Emit("push-one-repo", completions, shape.Slice, "manifests/s");
    }

    /// <summary>
    /// The shared base is pushed once (its own tagged repository); then each repository gets one layer of its own, mounts
    /// the base's config and layer, and PUTs its tags; rate in repositories per second.
    /// </summary>
    public static async Task PushManyReposAsync(Shape shape, RegistryClient client, CancellationToken cancellationToken)
    {
        var baseImage = shape.BaseImage;
        await client.UploadAsync(shape.BaseRepository, baseImage.Config, cancellationToken);
        await client.UploadAsync(shape.BaseRepository, baseImage.Layers[0], cancellationToken);
        await client.PutManifestAsync(shape.BaseRepository, "latest", baseImage, cancellationToken);
        var completions = await Workers.RunAsync(shape.Repos, shape.Clients, async (index, cancel) =>
        {
            var repository = shape.Repository(index);
            var own = shape.RepoLayer(index);
            await client.UploadAsync(repository, own, cancel);
            await client.MountAsync(repository, baseImage.Config.Digest, shape.BaseRepository, cancel);
            await client.MountAsync(repository, baseImage.Layers[0].Digest, shape.BaseRepository, cancel);
            var milliseconds = new List<double>(shape.TagsPerRepo);
            for (var tag = 0; tag < shape.TagsPerRepo; tag++)
            {
                milliseconds.Add(await client.PutManifestAsync(repository, Shape.RepoTag(tag), shape.RepoImage(index, tag, own), cancel));
            }
            return milliseconds;
        }, cancellationToken);
        Emit("push-many-repos", completions, shape.Slice, "repositories/s");
    }

    /// <summary>Every manifest of every second repository (even indexes), deleted by digest: half the repositories' images.</summary>
    public static async Task DeleteHalfAsync(Shape shape, RegistryClient client, CancellationToken cancellationToken)
    {
        var completions = await Workers.RunAsync((shape.Repos + 1) / 2, shape.Clients, async (half, cancel) =>
        {
            var index = half * 2;
            var repository = shape.Repository(index);
            var own = shape.RepoLayer(index);
            var milliseconds = new List<double>(shape.TagsPerRepo);
            for (var tag = 0; tag < shape.TagsPerRepo; tag++)
            {
                milliseconds.Add(await client.DeleteManifestAsync(repository, shape.RepoImage(index, tag, own).Digest, cancel));
            }
            return milliseconds;
        }, cancellationToken);
        Results.Emit(Workers.Total("delete-half", completions, "repositories/s"));
    }

    private static void Emit(string phase, IReadOnlyList<Completion> completions, int slice, string unit)
    {
        foreach (var line in Workers.Slices(phase, completions, slice, unit)) Results.Emit(line);
        Results.Emit(Workers.Total(phase, completions, unit));
    }
}
