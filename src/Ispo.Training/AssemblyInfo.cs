// Ispo.Training: datasets and tasks, rollouts, the trainer, runs, evaluation and reports.
[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("Ispo.Bench")]
[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("Ispo.Training.Tests")]
