Ispo.Models.Runtime.TorchRuntime.ConfigureOpenMp();
return Ispo.Cli.IspoCli.Run(args);
