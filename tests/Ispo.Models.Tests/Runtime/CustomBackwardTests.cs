using Ispo.Models.Runtime;
using static TorchSharp.torch;

namespace Ispo.Models.Tests.Runtime;

public class CustomBackwardTests
{
    [Fact]
    public void FreesWhatTheBodyHeldAndTheLastOutputsAtTheNextCall()
    {
        using var scope = NewDisposeScope();
        Tensor grad = ones(3), temporary = null!;
        List<Tensor> first = CustomBackward.Run(grad, () =>
        {
            temporary = grad * 2;
            return [temporary + 1, null!];
        });
        Assert.True(grad.IsInvalid);
        Assert.True(temporary.IsInvalid);
        Assert.False(first[0].IsInvalid);
        Assert.Equal(new[] { 3f, 3f, 3f }, first[0].data<float>().ToArray());

        Tensor passedThrough = ones(2);
        List<Tensor> second = CustomBackward.Run(passedThrough, () => [passedThrough]);
        Assert.True(first[0].IsInvalid);
        Assert.False(passedThrough.IsInvalid); // a gradient handed back as it came stays alive
        Assert.Same(passedThrough, second[0]);
        CustomBackward.Run(zeros(1), () => []); // frees the second call's outputs
        Assert.True(passedThrough.IsInvalid);
    }
}
