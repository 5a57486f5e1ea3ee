using Nscr.Scale;

// The load client of bench/scale.sh: Nscr.Scale PHASE --url http://127.0.0.1:PORT [--name value ...]; results as JSON
// lines on standard output. Phases: push-one-repo, push-many-repos, reads, delete-half, gc --label NAME (nscr's
// online GC), and report OUTDIR (the table of both registries' results). See bench/README.md for the options.
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: Nscr.Scale push-one-repo|push-many-repos|reads|delete-half|gc|report ...");
    return 2;
}
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
try
{
    if (args[0] == "report")
    {
        if (args.Length != 2) throw new ArgumentException("usage: Nscr.Scale report OUTDIR");
        ScaleReport.Write(args[1]);
        return 0;
    }
    var options = ScaleArgs.Parse(args[1..]);
    var shape = new Shape(options);
    using var client = new RegistryClient(shape.Registry, shape.Clients * 2);
    var run = args[0] switch
    {
        "push-one-repo" => PushPhases.PushOneRepoAsync(shape, client, stop.Token),
        "push-many-repos" => PushPhases.PushManyReposAsync(shape, client, stop.Token),
        "delete-half" => PushPhases.DeleteHalfAsync(shape, client, stop.Token),
        "reads" => ReadPhase.RunAsync(shape, client, stop.Token),
        "gc" => GcPhase.RunAsync(client, options.Required("label"), stop.Token),
        _ => throw new ArgumentException($"unknown phase '{args[0]}'"),
    };
    await run;
    return 0;
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}
catch (Exception e) when (e is UnexpectedAnswerException or HttpRequestException or OperationCanceledException)
{
    Console.Error.WriteLine($"{args[0]} failed: {e.Message}");
    return 1;
}
