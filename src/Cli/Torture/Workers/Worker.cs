using System.Text.Json;
using Nscr.Cli.Torture.Content;
using Nscr.Cli.Torture.Gc;
using Nscr.Cli.Torture.Http;
using Nscr.Cli.Torture.Model;
using Nscr.Cli.Torture.Report;

namespace Nscr.Cli.Torture.Workers;

/// <summary>
/// One worker: random pushes, pulls with full digest verification, deletes and re-tags in repositories that only
/// it touches, so its model of their tags is exact. Operations run to completion (the duration is checked between
/// them); at the end every tagged image is verified once more. The first failure stops the worker, because its
/// model of the registry is no longer certain after it.
/// </summary>
public sealed partial class Worker
{
    private readonly OciClient _oci;
    private readonly TortureStats _stats;
    private readonly TortureSettings _settings;
    private readonly BaseLayers _bases;
    private readonly MountHints _hints;
    private readonly GcLedger? _ledger;
    private readonly Random _random;
    private readonly ImageFactory _images;
    private readonly List<RepositoryModel> _repositories;
    private readonly List<RepositoryModel> _retired = [];
    private readonly string _repositoryPrefix;
    private int _nextTag;
    private int _nextRepository;

    public Worker(
        int index,
        string repositoryPrefix,
        OciClient oci,
        TortureStats stats,
        TortureSettings settings,
        BaseLayers bases,
        MountHints hints,
        GcLedger? ledger)
    {
        Name = $"worker-{index}";
        _oci = oci;
        _stats = stats;
        _settings = settings;
        _bases = bases;
        _hints = hints;
        _ledger = ledger;
        _random = new Random(unchecked(settings.Seed * 7919 + index + 1));
        _images = new ImageFactory(_random, bases);
        _repositoryPrefix = $"{repositoryPrefix}/w{index}";
        _repositories = Enumerable.Range(0, settings.RepositoriesPerWorker).Select(_ => NewRepository()).ToList();
    }

    public string Name { get; }

    /// <summary>Every repository this worker used: the active ones and those it emptied and moved away from.</summary>
    public IReadOnlyList<RepositoryModel> Repositories => [.. _repositories, .. _retired];

    private int TagCount => _repositories.Sum(r => r.Tags.Count);

    /// <summary>Works until <paramref name="stop"/>, then verifies everything it holds; <paramref name="abort"/> ends it at once.</summary>
    public async Task RunAsync(CancellationToken stop, CancellationToken abort)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await StepAsync(abort);
            }
            await VerifyEverythingAsync(abort);
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
        }
        catch (TortureFailureException e)
        {
            _stats.Fail(Name, e.Kind, e.Message);
        }
        catch (RegistryResponseException e)
        {
            _stats.Fail(Name, e.IsServerError ? FailureKinds.ServerError : FailureKinds.UnexpectedResponse, e.Message);
        }
        catch (RegistryTransportException e)
        {
            _stats.Fail(Name, FailureKinds.NoAnswer, e.Message);
        }
        catch (JsonException e)
        {
            _stats.Fail(Name, FailureKinds.UnexpectedResponse, $"a JSON answer does not parse: {e.Message}");
        }
    }

    private Task StepAsync(CancellationToken cancellationToken)
    {
        var tags = TagCount;
        if (tags == 0) return PushAsync(cancellationToken);
        if (tags >= _settings.MaxTagsPerWorker) return _random.Next(3) == 0 ? DeleteByDigestAsync(cancellationToken) : DeleteTagAsync(cancellationToken);
        return _random.Next(100) switch
        {
            < 35 => PushAsync(cancellationToken),
            < 57 => VerifyRandomImageAsync(cancellationToken),
            < 62 => CheckTagListAsync(RandomRepository(), cancellationToken),
            < 71 => DeleteTagAsync(cancellationToken),
            < 78 => DeleteByDigestAsync(cancellationToken),
            < 88 => RetagAsync(cancellationToken),
            < 92 => DeleteReferrerAsync(cancellationToken),
            < 95 => AbandonUploadAsync(cancellationToken),
            < 97 => RotateRepositoryAsync(cancellationToken),
            _ => VerifyEverythingAsync(cancellationToken),
        };
    }

    private RepositoryModel NewRepository() => new($"{_repositoryPrefix}/r{_nextRepository++}");

    private RepositoryModel RandomRepository() => _repositories[_random.Next(_repositories.Count)];

    /// <summary>A random tag of this worker's repositories (there is at least one).</summary>
    private (RepositoryModel Repository, string Tag, Image Image) RandomTag()
    {
        var all = _repositories.SelectMany(r => r.Tags.Select(t => (r, t.Key, t.Value))).ToList();
        return all[_random.Next(all.Count)];
    }

    /// <summary>Tags are never reused, so a deleted tag must stay unknown.</summary>
    private string NewTag() => $"t{_nextTag++}";

    private static TortureFailureException Missing(string message) => new(FailureKinds.Missing, message);

    private static TortureFailureException Corrupt(string message) => new(FailureKinds.Corrupt, message);

    private static TortureFailureException Inconsistent(string message) => new(FailureKinds.Inconsistent, message);
}
