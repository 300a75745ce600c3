using Microsoft.ML.Recurrent.Prediction;

namespace Microsoft.ML.Recurrent;

public sealed partial class RecurrentCatalog
{
    /// <summary>
    /// A stateful time-step engine for <paramref name="model"/> (a fitted or loaded pipeline containing a recurrent model),
    /// with streams named by string keys. See <see cref="TimeStepEngine{TKey, TInput, TOutput}"/>.
    /// </summary>
    /// <param name="model">A fitted recurrent model, or a loaded pipeline that contains one.</param>
    /// <param name="threads">Worker threads for each call: 1 (default) runs on the caller; 0 = one per core.</param>
    /// <exception cref="ArgumentException">The model has a bidirectional layer (it needs whole sequences), or the types do not fit its columns.</exception>
    public TimeStepEngine<string, TInput, TOutput> CreateTimeStepEngine<TInput, TOutput>(ITransformer model, int threads = 1)
        where TInput : class where TOutput : class, new()
        => CreateTimeStepEngine<string, TInput, TOutput>(model, threads, StringComparer.Ordinal);

    /// <summary>A stateful time-step engine with streams named by keys of type <typeparamref name="TKey"/>.</summary>
    /// <param name="model">A fitted recurrent model, or a loaded pipeline that contains one.</param>
    /// <param name="threads">Worker threads for each call: 1 (default) runs on the caller; 0 = one per core.</param>
    /// <param name="comparer">Equality of keys; default <see cref="EqualityComparer{T}.Default"/>.</param>
    public TimeStepEngine<TKey, TInput, TOutput> CreateTimeStepEngine<TKey, TInput, TOutput>(ITransformer model, int threads = 1,
        IEqualityComparer<TKey>? comparer = null)
        where TKey : notnull where TInput : class where TOutput : class, new()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(threads);
        return new TimeStepEngine<TKey, TInput, TOutput>(GetModel(model), threads, comparer);
    }
}
