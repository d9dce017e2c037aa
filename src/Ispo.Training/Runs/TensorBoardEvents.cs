// TensorBoard event files (TFRecord framing: u64 length, u32 crc, the Event proto, u32 crc) read back by step, so a
// resumed run can drop what it logged after its checkpoint, as it does for the JSONL logs.
using Ispo.Models.Checkpoints;
using System.Buffers.Binary;

namespace Ispo.Training.Runs;

public static class TensorBoardEvents
{
    public const string FilePrefix = "events.out.tfevents.";
    const int HeaderBytes = 12, FooterBytes = 4;

    /// <summary>Removes from every event file in <paramref name="dir"/> the events of steps after
    /// <paramref name="step"/> and a record torn by a kill mid-write.</summary>
    public static void TruncateAfterStep(string dir, int step)
    {
        if (!Directory.Exists(dir)) return;
        foreach (string path in Directory.GetFiles(dir, FilePrefix + "*"))
        {
            byte[] bytes = File.ReadAllBytes(path);
            List<Range> kept = Records(bytes).Where(r => Parse(bytes, r).Step <= step).ToList();
            if (kept.Sum(r => r.GetOffsetAndLength(bytes.Length).Length) == bytes.Length) continue;
            AtomicFile.Write(path, s => { foreach (Range r in kept) s.Write(bytes.AsSpan(r)); });
        }
    }

    /// <summary>(tag, step, value) of every scalar in the folder's event files, in file and write order.</summary>
    public static IReadOnlyList<(string Tag, long Step, float Value)> Scalars(string dir) =>
        [.. Directory.GetFiles(dir, FilePrefix + "*").Order().SelectMany(path =>
        {
            byte[] bytes = File.ReadAllBytes(path);
            return Records(bytes).Select(r => Parse(bytes, r))
                .SelectMany(e => e.Summary?.Value.Select(v => (v.Tag, e.Step, v.SimpleValue)) ?? []).ToList();
        })];

    /// <summary>The whole records of a file; a torn last one is left out.</summary>
    static IEnumerable<Range> Records(byte[] bytes)
    {
        for (long at = 0; at + HeaderBytes <= bytes.Length;)
        {
            ulong length = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan((int)at));
            long end = at + HeaderBytes + (long)Math.Min(length, (ulong)bytes.Length) + FooterBytes;
            if (end > bytes.Length) yield break;
            yield return new Range((int)at, (int)end);
            at = end;
        }
    }

    static Tensorboard.Event Parse(byte[] bytes, Range record)
    {
        (int offset, int length) = record.GetOffsetAndLength(bytes.Length);
        // the byte[] overload: TorchSharp's generated Event predates span parsing
        return Tensorboard.Event.Parser.ParseFrom(bytes, offset + HeaderBytes, length - HeaderBytes - FooterBytes);
    }
}
