Ispo.Models.Runtime.TorchRuntime.ConfigureOpenMp();
Ispo.Models.Runtime.TorchRuntime.ConfigureAllocator();
return Ispo.Cli.IspoCli.Run(args);
