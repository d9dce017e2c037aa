using Ispo.Training.Runs;

namespace Ispo.Training.Tests.Runs;

public class TensorBoardEventsTests
{
    [Fact]
    public void TruncationKeepsTheStepsUpToTheCheckpointAndDropsATornRecord()
    {
        using var dir = new TempDir();
        using (var sink = new TensorBoardMetricsSink(dir.Path))
            for (int step = 1; step <= 4; step++) sink.Write(step, new Dictionary<string, double> { ["loss"] = step / 10.0 });
        string file = Directory.GetFiles(dir.Path, TensorBoardEvents.FilePrefix + "*").Single();
        using (var stream = new FileStream(file, FileMode.Append)) stream.Write([9, 0, 0, 0, 0, 0, 0, 0, 1, 2]);  // a kill mid-record

        TensorBoardEvents.TruncateAfterStep(dir.Path, 2);

        Assert.Equal([("loss", 1L, 0.1f), ("loss", 2L, 0.2f)], TensorBoardEvents.Scalars(dir.Path));
        long size = new FileInfo(file).Length;
        TensorBoardEvents.TruncateAfterStep(dir.Path, 2);
        Assert.Equal(size, new FileInfo(file).Length);
    }
}
