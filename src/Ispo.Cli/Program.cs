return Ispo.Cli.IspoCli.Run(args);
