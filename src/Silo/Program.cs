using Nscr.Silo.Hosting;

// The standalone cluster silo: `Nscr.Silo` runs a silo, `Nscr.Silo migrate --from <dir>` moves an embedded registry
// into the cluster.
return await SiloProgram.RunAsync(args);
