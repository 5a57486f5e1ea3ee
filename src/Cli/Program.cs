using Nscr.Cli.CommandLine;

return await NscrCommandLine.RunAsync(args, CliHost.FromProcess());
