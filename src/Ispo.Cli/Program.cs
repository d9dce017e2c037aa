Ispo.Models.Runtime.TorchRuntime.ConfigureOpenMp();
if (args.FirstOrDefault() == "serve") Ispo.Models.Runtime.TorchRuntime.ReturnFreedMemory(); // a long-running server's heap must not keep every peak
Ispo.Models.Runtime.TorchRuntime.ConfigureAllocator();
return Ispo.Cli.IspoCli.Run(args);
