// A Spectre.Console live panel (step, phase, tokens/s, reward, zero-advantage fraction, ETA) refreshed from a
// background thread, since Spectre's live display owns the callback while it runs.
using Spectre.Console;

namespace Ispo.Training.Progress;

public sealed class LiveProgressReporter : IProgressReporter
{
    const int MaxLogLines = 6;
    readonly string title;
    readonly Lock gate = new();
    readonly Queue<string> recent = new();
    readonly CancellationTokenSource stop = new();
    readonly Task display;
    ProgressSnapshot? last;
    string phase = "starting";

    public LiveProgressReporter(string title, IAnsiConsole? console = null)
    {
        this.title = title;
        IAnsiConsole target = console ?? AnsiConsole.Console;
        display = Task.Run(() => target.Live(Render()).AutoClear(false).Start(Refresh));
    }

    public void Phase(string phase) { lock (gate) this.phase = phase; }

    public void Step(ProgressSnapshot snapshot) { lock (gate) last = snapshot; }

    public void Log(string message)
    {
        lock (gate)
        {
            recent.Enqueue(message);
            while (recent.Count > MaxLogLines) recent.Dequeue();
        }
    }

    void Refresh(LiveDisplayContext context)
    {
        while (!stop.IsCancellationRequested)
        {
            context.UpdateTarget(Render());
            stop.Token.WaitHandle.WaitOne(250);
        }
        context.UpdateTarget(Render());
    }

    Spectre.Console.Rendering.IRenderable Render()
    {
        lock (gate)
        {
            var grid = new Grid().AddColumn().AddColumn();
            ProgressSnapshot? s = last;
            grid.AddRow("[bold]step[/]", s is null ? "-" : (s.Run is null ? "" : Markup.Escape(s.Run) + " ") + $"{s.Step}/{s.TotalSteps}");
            grid.AddRow("[bold]phase[/]", Markup.Escape(phase));
            grid.AddRow("[bold]reward[/]", Number(s?.Reward, "0.###"));
            grid.AddRow("[bold]zero-adv[/]", Number(s?.ZeroAdvantageFraction, "0.##"));
            grid.AddRow("[bold]tokens/s[/]", Number(s?.TokensPerSecond, "0"));
            foreach (var (k, v) in s?.Extra ?? new Dictionary<string, double>()) grid.AddRow(Markup.Escape(k), v.ToString("0.####"));
            grid.AddRow("[bold]eta[/]", s?.Eta is { } eta ? eta.ToString("h\\:mm\\:ss") : "-");
            var rows = new List<Spectre.Console.Rendering.IRenderable> { grid };
            rows.AddRange(recent.Select(line => new Markup("[grey]" + Markup.Escape(line) + "[/]")));
            return new Panel(new Rows(rows)).Header(Markup.Escape(title));
        }
    }

    static string Number(double? value, string format) => value is { } v ? v.ToString(format) : "-";

    public void Dispose()
    {
        stop.Cancel();
        display.Wait();
        stop.Dispose();
    }
}
