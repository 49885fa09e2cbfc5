using Heddle.Config.Binding;

namespace Heddle.Config.Model;

/// <summary>Caps concurrent retries to a share of active requests.</summary>
public sealed record RetryBudget
{
    /// <summary>Share of active requests that may be retries, in percent.</summary>
    [Between(0, 100)]
    public double? Percent { get; init; }

    /// <summary>Retries always allowed regardless of the budget.</summary>
    public int? MinRetryConcurrency { get; init; }

    /// <summary>Window over which the budget is computed.</summary>
    public TimeSpan? BudgetInterval { get; init; }
}
