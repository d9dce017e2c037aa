using Ispo.Models.Modules;
using static TorchSharp.torch;

namespace Ispo.Models.Tests.Modules;

public class UnreadLinearTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void GivesZerosAndLinearsGradients(bool withBias)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(31);
        Tensor x = randn(2, 9, 33, generator: generator), w = randn(40, 33, generator: generator), b = randn(40, generator: generator);
        Tensor upstream = randn(2, 9, 40, generator: generator);
        Tensor[] Gradients(bool unread, out Tensor y)
        {
            Tensor[] inputs = [x.clone().requires_grad_(true), w.clone().requires_grad_(true), b.clone().requires_grad_(true)];
            Tensor? bias = withBias ? inputs[2] : null;
            y = unread ? UnreadLinear.Apply(inputs[0], inputs[1], bias) : nn.functional.linear(inputs[0], inputs[1], bias);
            y.backward([upstream]);
            return [.. inputs.Take(withBias ? 3 : 2).Select(t => t.grad!)];
        }
        Tensor[] linear = Gradients(false, out _), unread = Gradients(true, out Tensor zeros);
        Assert.Equal(new long[] { 2, 9, 40 }, zeros.shape);
        Assert.Equal(0, zeros.abs().max().item<float>());
        for (int i = 0; i < linear.Length; i++)
            Assert.True(linear[i].allclose(unread[i], rtol: 1e-6, atol: 1e-6), $"gradient {i}: {(linear[i] - unread[i]).abs().max().item<float>()}");
    }

    [Fact]
    public void AFrozenWeightGetsNoGradient()
    {
        using var scope = NewDisposeScope();
        Tensor x = randn(3, 5).requires_grad_(true), w = randn(4, 5);
        UnreadLinear.Apply(x, w, null).backward([ones(3, 4)]);
        Assert.True(x.grad!.allclose(ones(3, 4).mm(w)));
        Assert.True(w.grad is null);
    }
}
