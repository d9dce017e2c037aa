// Learning-rate schedule: linear warmup, then constant or cosine decay to a floor (fraction of the peak).
using Ispo.Training.Configuration;

namespace Ispo.Training.Trainer;

public sealed record LearningRateSchedule(double PeakLr, int WarmupSteps, int TotalSteps, LrSchedule Kind, double MinLrRatio = 0.0)
{
    /// <summary>The rate for optimizer step <paramref name="step"/> (0-based).</summary>
    public double At(int step)
    {
        if (WarmupSteps > 0 && step < WarmupSteps)
            return PeakLr * (step + 1) / WarmupSteps;
        if (Kind == LrSchedule.Constant) return PeakLr;
        int decaySteps = Math.Max(1, TotalSteps - WarmupSteps);
        double progress = Math.Clamp((double)(step - WarmupSteps) / decaySteps, 0.0, 1.0);
        double floor = PeakLr * MinLrRatio;
        return floor + (PeakLr - floor) * 0.5 * (1.0 + Math.Cos(Math.PI * progress));
    }
}
