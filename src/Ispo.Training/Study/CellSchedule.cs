// Runs a study's cells on several workers at once (`ispo study --jobs N`). Every cell computes exactly what it computes
// alone, so the schedule changes only the wall time. The largest base model goes first (its cell is the longest, and
// starting it last would leave one worker running alone at the end), and a cell that shares a base-model folder with an
// earlier one (the ablations reuse the first seed's base model) waits until that cell has finished.
using Ispo.Models.Pretrained;

namespace Ispo.Training.Study;

public sealed class CellSchedule
{
    readonly IReadOnlyList<StudyCell> cells;
    readonly List<int> waiting;
    readonly HashSet<int> finished = [];

    public CellSchedule(IReadOnlyList<StudyCell> cells)
    {
        this.cells = cells;
        waiting = [.. Enumerable.Range(0, cells.Count).OrderByDescending(i => ModelInit.Preset(cells[i].Preset).ParameterCount())];
    }

    public bool AllTaken => waiting.Count == 0;

    /// <summary>The next cell whose base model is ready, or null when every waiting cell depends on a running one.</summary>
    public int? Take()
    {
        foreach (int i in waiting)
        {
            if (!Ready(i)) continue;
            waiting.Remove(i);
            return i;
        }
        return null;
    }

    public void Finished(int cell) => finished.Add(cell);

    bool Ready(int cell) => Enumerable.Range(0, cell).All(earlier => cells[earlier].Folder != cells[cell].Folder || finished.Contains(earlier));

    /// <summary>Runs every cell through <paramref name="runCell"/> (which returns a process exit code), at most
    /// <paramref name="jobs"/> at a time. After a failure no new cell starts; the running ones finish (each is resumable)
    /// and the failures are reported together.</summary>
    public static async Task RunAsync(IReadOnlyList<StudyCell> cells, int jobs, Func<int, CancellationToken, Task<int>> runCell,
        CancellationToken cancel)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(jobs, 1);
        var schedule = new CellSchedule(cells);
        var running = new Dictionary<Task<int>, int>();
        var failures = new List<string>();
        while (true)
        {
            while (failures.Count == 0 && running.Count < jobs && schedule.Take() is { } next)
                running.Add(runCell(next, cancel), next);
            if (running.Count == 0) break;
            Task<int> done = await Task.WhenAny(running.Keys);
            int cell = running[done];
            running.Remove(done);
            int code = await done;
            if (code == 0) schedule.Finished(cell);
            else failures.Add($"{cells[cell].Size} seed {cells[cell].Seed} (exit code {code})");
        }
        cancel.ThrowIfCancellationRequested();
        if (failures.Count > 0) throw new InvalidOperationException($"study cells failed: {string.Join(", ", failures)}; run the same command again to continue");
        if (!schedule.AllTaken) throw new InvalidOperationException("study cells left unscheduled (a dependency never finished)");
    }
}
