[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("Ispo.Models.Tests")]
[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("Ispo.Bench")]
