using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Recurrent.Native.IO;
using Recurrent.Native.Network;

namespace Recurrent.Native.Inference;

/// <summary>
/// A SHA-256 that identifies a model for saved stream states: it covers what changes predictions — the architecture
/// (<see cref="Describe{T}"/>, UTF-8) and every weight (little-endian, in <see cref="RecurrentNetwork{T}.Layout"/> order) —
/// and nothing else (no dropout, initial forget bias or seed). See <c>docs/state-format.md</c>.
/// </summary>
internal static class ModelFingerprint
{
    /// <summary>Length in bytes.</summary>
    public const int Size = 32;

    /// <summary>The fingerprint of <paramref name="network"/> with its current weights.</summary>
    public static byte[] Compute<T>(RecurrentNetwork<T> network) where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(Describe(network)));
        var dtype = SafetensorsDTypes.Default<T>();
        int perChunk = 4096 / dtype.Size();
        Span<byte> chunk = stackalloc byte[4096];
        ReadOnlySpan<T> weights = network.Parameters;
        for (int i = 0; i < weights.Length; i += perChunk)
        {
            var part = weights.Slice(i, Math.Min(perChunk, weights.Length - i));
            SafetensorsDTypes.Encode(dtype, part, chunk);
            hash.AppendData(chunk[..(part.Length * dtype.Size())]);
        }
        return hash.GetHashAndReset();
    }

    /// <summary>
    /// The architecture as canonical text, e.g.
    /// <c>f32;input=3;lstm(hidden=5,peepholes=true,gate=Sigmoid,cell=Tanh);rnn(hidden=4,activation=Tanh);dense(units=4,activation=Identity);output(size=2,loss=MeanSquaredError)</c>.
    /// </summary>
    public static string Describe<T>(RecurrentNetwork<T> network) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var text = new StringBuilder(SafetensorsDTypes.Default<T>() == SafetensorsDType.F64 ? "f64" : "f32");
        text.Append(CultureInfo.InvariantCulture, $";input={network.InputSize}");
        foreach (var layer in network.Spec.Layers)
            text.Append(';').Append(layer switch
            {
                LstmSpec l => FormattableString.Invariant(
                    $"lstm(hidden={l.Hidden},peepholes={(l.Peepholes ? "true" : "false")},gate={l.GateActivation},cell={l.CellActivation})"),
                SimpleRnnSpec s => FormattableString.Invariant($"rnn(hidden={s.Hidden},activation={s.Activation})"),
                DenseSpec d => FormattableString.Invariant($"dense(units={d.Units},activation={d.Activation})"),
                OutputSpec o => FormattableString.Invariant($"output(size={o.Size},loss={o.Loss})"),
                _ => throw new ArgumentException($"A {layer.GetType().Name} cannot run step by step.", nameof(network)),
            });
        return text.ToString();
    }
}
