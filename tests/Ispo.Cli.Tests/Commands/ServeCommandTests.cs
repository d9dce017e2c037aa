namespace Ispo.Cli.Tests.Commands;

// The server itself is tested in tests/Ispo.Serve.Tests; here, that the command refuses what it must before serving.
public class ServeCommandTests
{
    [Fact]
    public void Binding_beyond_loopback_without_a_key_is_refused_before_the_model_loads()
    {
        var (code, _, err) = CliRun.Run("serve", "--model", "/no/such/model", "--host", "0.0.0.0", "--port", "0");
        Assert.Equal(1, code);
        Assert.Contains("needs an API key", err);
    }

    [Fact]
    public void A_missing_model_folder_is_one_error_line()
    {
        var (code, _, err) = CliRun.Run("serve", "--model", CliRun.NewDir(), "--port", "0");
        Assert.Equal(1, code);
        Assert.StartsWith("error: ", err);
    }
}
