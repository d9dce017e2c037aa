using System.Buffers.Binary;
using Ispo.Training.Reports;

namespace Ispo.Training.Tests.Reports;

public class ReportWriterTests
{
    static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    [Fact]
    public void OverlaysSeveralRunsWithValidPngsReferencedFromMarkdown()
    {
        using var dir = new TempDir();
        string grpo = SyntheticRuns.Write(dir.Path, "grpo", ispo: false);
        string ispo = SyntheticRuns.Write(dir.Path, "ispo", ispo: true, seed: 1);
        string outDir = Path.Combine(dir.Path, "report");
        string report = ReportWriter.Write([grpo, ispo], outDir, 600, 400);
        string md = File.ReadAllText(report);
        string[] expected = ["reward.png", "zero_advantage.png", "critical_entropy.png", "ifd.png", "critical_sets.png", "eval.png", "timings.png"];
        foreach (string png in expected)
        {
            Assert.Contains($"]({png})", md);
            AssertValidPng(Path.Combine(outDir, png), 600, 400);
        }
        Assert.Contains("| grpo | 40 |", md);
        Assert.Contains("| ispo | 40 |", md);
        Assert.Contains("Not logged by any run: Policy entropy and completion length.", md);
    }

    [Fact]
    public void PlotsOnlyWhatARunLogged()
    {
        using var dir = new TempDir();
        string grpo = SyntheticRuns.Write(dir.Path, "grpo", ispo: false, steps: 5);
        string outDir = Path.Combine(dir.Path, "out");
        string md = File.ReadAllText(ReportWriter.Write([grpo], outDir));
        Assert.True(File.Exists(Path.Combine(outDir, "reward.png")));
        Assert.False(File.Exists(Path.Combine(outDir, "ifd.png")));
        Assert.DoesNotContain("ifd.png", md);
        Assert.Contains("Conditional IFD by outcome", md);  // listed as not logged
    }

    [Fact]
    public void ARunWithoutMetricsStillGivesAReport()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(Path.Combine(dir.Path, "empty"));
        string md = File.ReadAllText(ReportWriter.Write([Path.Combine(dir.Path, "empty")], Path.Combine(dir.Path, "out")));
        Assert.Contains("| empty | 0 | – |", md);
        Assert.DoesNotContain(".png", md);
    }

    [Fact]
    public void SameNamedRunsGetDistinctLabels()
    {
        using var dir = new TempDir();
        string a = SyntheticRuns.Write(Path.Combine(dir.Path, "seed0"), "grpo", ispo: false, steps: 3);
        string b = SyntheticRuns.Write(Path.Combine(dir.Path, "seed1"), "grpo", ispo: false, steps: 3);
        string md = File.ReadAllText(ReportWriter.Write([a, b], Path.Combine(dir.Path, "out")));
        Assert.Contains("| seed0/grpo |", md);
        Assert.Contains("| seed1/grpo |", md);
    }

    static void AssertValidPng(string path, int width, int height)
    {
        byte[] bytes = File.ReadAllBytes(path);
        Assert.True(bytes.AsSpan(0, 8).SequenceEqual(PngSignature), path);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(bytes, 12, 4));
        Assert.Equal(width, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)));
        Assert.Equal(height, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
        Assert.Equal("IEND", System.Text.Encoding.ASCII.GetString(bytes, bytes.Length - 8, 4));
    }
}
