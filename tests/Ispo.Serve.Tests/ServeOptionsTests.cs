namespace Ispo.Serve.Tests;

public class ServeOptionsTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("localhost")]
    public void Loopback_needs_no_key(string host) => new ServeOptions { ModelDir = "m", Host = host }.Validate();

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("192.168.1.7")]
    [InlineData("::")]
    public void Any_other_address_needs_an_api_key(string host)
    {
        var e = Assert.Throws<ArgumentException>(() => new ServeOptions { ModelDir = "m", Host = host }.Validate());
        Assert.Contains("ISPO_API_KEY", e.Message);
        new ServeOptions { ModelDir = "m", Host = host, ApiKey = "k" }.Validate();
    }

    [Fact]
    public void A_host_name_other_than_localhost_is_refused() =>
        Assert.Contains("--host", Assert.Throws<ArgumentException>(() => new ServeOptions { ModelDir = "m", Host = "example.com", ApiKey = "k" }.Validate()).Message);

    [Fact]
    public void The_served_name_defaults_to_the_folder_name() =>
        Assert.Equal("tiny", new ServeOptions { ModelDir = "/models/tiny/" }.ModelName);
}
