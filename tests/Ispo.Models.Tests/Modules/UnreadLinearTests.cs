using Ispo.Models.Modules;
using static TorchSharp.torch;

namespace Ispo.Models.Tests.Modules;

public class UnreadLinearTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void GivesZerosAndLinearsGradients(bool withBias) =>
        AssertUnreadGradients(withBias, (x, w, b, unread) => unread ? UnreadLinear.Apply(x, w, b) : nn.functional.linear(x, w, b), tolerance: 1e-6);

    /// <summary>Runs <paramref name="linear"/> (x, weight, bias or null, valueUnread) computed and unread on the same
    /// seeded inputs: the unread result is zeros of the product's shape, and every gradient is within
    /// <paramref name="tolerance"/> (relative and absolute) of the computed one's.</summary>
    internal static void AssertUnreadGradients(bool withBias, Func<Tensor, Tensor, Tensor?, bool, Tensor> linear, double tolerance)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(31);
        Tensor x = randn(2, 9, 33, generator: generator), w = randn(40, 33, generator: generator), b = randn(40, generator: generator);
        Tensor upstream = randn(2, 9, 40, generator: generator);
        Tensor[] Gradients(bool unread, out Tensor y)
        {
            Tensor[] inputs = [x.clone().requires_grad_(true), w.clone().requires_grad_(true), b.clone().requires_grad_(true)];
            y = linear(inputs[0], inputs[1], withBias ? inputs[2] : null, unread);
            y.backward([upstream]);
            return [.. inputs.Take(withBias ? 3 : 2).Select(t => t.grad!)];
        }
        Tensor[] computed = Gradients(false, out _), unread = Gradients(true, out Tensor zeros);
        Assert.Equal(new long[] { 2, 9, 40 }, zeros.shape);
        Assert.Equal(0, zeros.abs().max().item<float>());
        for (int i = 0; i < computed.Length; i++)
            Assert.True(computed[i].allclose(unread[i], rtol: tolerance, atol: tolerance), $"gradient {i}: {(computed[i] - unread[i]).abs().max().item<float>()}");
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
