using System.Collections.Concurrent;
using Recurrent.Native.Network;

namespace Microsoft.ML.Recurrent.Model;

/// <summary>
/// Runs a trained network on one row at a time, from any number of threads: each call rents a session (a frozen-weights
/// workspace and an input buffer) from a pool and returns it, so parallel cursors never share buffers.
/// </summary>
internal sealed class RowPredictor(ModelConfig config, RecurrentNetwork<float> network)
{
    private readonly ConcurrentBag<Session> _pool = [];

    /// <summary>A workspace and input buffer for one caller at a time.</summary>
    internal sealed class Session(RecurrentNetwork<float> network, int steps)
    {
        public NetworkWorkspace<float> Workspace = Create(network, steps);
        public float[] Input = new float[steps * network.InputSize];

        public void Ensure(RecurrentNetwork<float> net, int steps)
        {
            if (steps <= Workspace.MaxSteps) return;
            int size = Math.Max(steps, 2 * Workspace.MaxSteps);
            Workspace = Create(net, size);
            Input = new float[size * net.InputSize];
        }

        private static NetworkWorkspace<float> Create(RecurrentNetwork<float> net, int steps)
        {
            var ws = net.CreateWorkspace(steps, 1);
            ws.FreezeWeights();
            return ws;
        }
    }

    /// <summary>Outputs per step (classes or values).</summary>
    public int Outputs => config.Outputs;

    /// <summary>
    /// Runs the network on the feature values of one row (T × d floats — key features arrive one-hot — or the d values
    /// of a one-to-many input) and calls <paramref name="read"/> with the outputs <c>[T, O]</c>.
    /// </summary>
    public TResult Run<TResult>(ReadOnlySpan<float> features, Func<ReadOnlySpan<float>, int, TResult> read)
    {
        if (!_pool.TryTake(out var session)) session = new Session(network, Math.Max(1, config.LongestSequence));
        try
        {
            int steps = Encode(features, session);
            var output = network.Forward(session.Workspace, session.Input.AsSpan(0, steps * network.InputSize), steps, 1);
            return read(output, steps);
        }
        finally { _pool.Add(session); }
    }

    private int Encode(ReadOnlySpan<float> features, Session session)
    {
        int d = config.FeatureSize;
        switch (config.Mode)
        {
            case SequenceMode.OneToMany:
                if (features.Length != d) throw Bad($"{features.Length} values; the model takes one step of {d}.");
                session.Ensure(network, config.OutputSteps);
                session.Input.AsSpan(0, config.OutputSteps * d).Clear();
                features.CopyTo(session.Input);
                return config.OutputSteps;
            default:
                if (features.IsEmpty) throw Bad("the sequence is empty.");
                if (features.Length % d != 0) throw Bad($"{features.Length} values is not a multiple of the {d} values per step.");
                int steps = features.Length / d;
                session.Ensure(network, steps);
                features.CopyTo(session.Input);
                return steps;
        }
    }

    private InvalidOperationException Bad(string problem) => new($"Column '{config.FeatureColumnName}': {problem}");
}
