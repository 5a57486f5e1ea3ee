using Nscr.Gateway.Hosting;

var app = RegistryHost.Build(args);
await app.RunAsync();

/// <summary>Entry point; public so tests can reference the assembly.</summary>
public partial class Program;
