[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("Ispo.MathVerify.Tests")]
[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("Ispo.Bench")]
