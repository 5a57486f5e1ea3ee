using Nscr.Cli.CommandLine;

return await NscrCommandLine.Create().Parse(args).InvokeAsync();
