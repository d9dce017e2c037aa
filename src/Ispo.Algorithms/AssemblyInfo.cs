[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("Ispo.Algorithms.Tests")]
[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("Ispo.Bench")]
