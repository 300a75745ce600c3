using Recurrent.Native.Network;

namespace Recurrent.Native.IO;

/// <summary>Options of <see cref="SafetensorsNetworkExtensions.LoadSafetensors{T}(RecurrentNetwork{T}, SafetensorsFile, SafetensorsLoadOptions?)"/>.</summary>
public sealed class SafetensorsLoadOptions
{
    /// <summary>
    /// Accept tensors the network does not have (they are ignored). Default false: extra tensors are an error that lists
    /// them, because they usually mean the file was made for another architecture.
    /// </summary>
    public bool AllowExtraTensors { get; init; }
}

/// <summary>
/// Export and import of every weight of a <see cref="RecurrentNetwork{T}"/> as safetensors, under the names of
/// <see cref="RecurrentNetwork{T}.Layout"/> (PyTorch's for recurrent layers), so weights move to and from PyTorch.
/// </summary>
public static class SafetensorsNetworkExtensions
{
    /// <summary>A writer holding every weight of the network (in layout order), to which metadata or tensors may be added.</summary>
    /// <param name="network">The network.</param>
    /// <param name="dtype">The element type in the file; default F64 for a double network, F32 otherwise.</param>
    public static SafetensorsWriter ToSafetensors<T>(this RecurrentNetwork<T> network, SafetensorsDType? dtype = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        var type = dtype ?? SafetensorsDTypes.Default<T>();
        var writer = new SafetensorsWriter();
        ReadOnlySpan<T> parameters = network.Parameters;
        foreach (var tensor in network.Layout.Tensors)
            writer.Add(tensor.Name, parameters.Slice(tensor.Offset, tensor.Length), tensor.Shape, type);
        return writer;
    }

    /// <summary>Saves every weight to <paramref name="path"/>; an existing file is replaced only after a complete write.</summary>
    /// <param name="network">The network.</param>
    /// <param name="path">The target file.</param>
    /// <param name="dtype">The element type in the file; default F64 for a double network, F32 otherwise.</param>
    public static void SaveSafetensors<T>(this RecurrentNetwork<T> network, string path, SafetensorsDType? dtype = null)
        where T : unmanaged, IFloatingPointIeee754<T> => network.ToSafetensors(dtype).Save(path);

    /// <summary>Writes every weight to <paramref name="stream"/>.</summary>
    /// <param name="network">The network.</param>
    /// <param name="stream">The target stream.</param>
    /// <param name="dtype">The element type in the file; default F64 for a double network, F32 otherwise.</param>
    public static void SaveSafetensors<T>(this RecurrentNetwork<T> network, Stream stream, SafetensorsDType? dtype = null)
        where T : unmanaged, IFloatingPointIeee754<T> => network.ToSafetensors(dtype).WriteTo(stream);

    /// <summary>Loads every weight from the safetensors file at <paramref name="path"/> (see the <see cref="SafetensorsFile"/> overload).</summary>
    public static void LoadSafetensors<T>(this RecurrentNetwork<T> network, string path, SafetensorsLoadOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T> => network.LoadSafetensors(SafetensorsFile.Read(path), options);

    /// <summary>Loads every weight from a safetensors file in <paramref name="stream"/> (see the <see cref="SafetensorsFile"/> overload).</summary>
    public static void LoadSafetensors<T>(this RecurrentNetwork<T> network, Stream stream, SafetensorsLoadOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T> => network.LoadSafetensors(SafetensorsFile.Read(stream), options);

    /// <summary>
    /// Loads every weight of the network from <paramref name="file"/>, converting F32 or F64 to <typeparamref name="T"/>.
    /// Everything is checked before anything is written, so on error the network keeps its weights.
    /// </summary>
    /// <exception cref="SafetensorsException">
    /// A tensor of the network is missing (all missing ones are listed), has another shape (expected and actual), or the file
    /// holds tensors the network does not have (listed; allowed with <see cref="SafetensorsLoadOptions.AllowExtraTensors"/>).
    /// </exception>
    public static void LoadSafetensors<T>(this RecurrentNetwork<T> network, SafetensorsFile file, SafetensorsLoadOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(file);
        var layout = network.Layout.Tensors;
        var missing = layout.Where(t => !file.Contains(t.Name)).Select(t => $"'{t.Name}' {t.ShapeText}").ToList();
        if (missing.Count > 0)
            throw new SafetensorsException(file.SourceName,
                $"{missing.Count} tensor(s) of the network are missing from the file: {string.Join(", ", missing)}.",
                layout.First(t => !file.Contains(t.Name)).Name);
        foreach (var expected in layout)
        {
            var actual = file[expected.Name];
            if (!actual.HasShape(expected.Shape))
                throw new SafetensorsException(file.SourceName,
                    $"Tensor '{expected.Name}' has shape {actual.ShapeText}; the network expects {expected.ShapeText}.",
                    expected.Name, actual.FileOffset);
        }
        if (options is not { AllowExtraTensors: true })
        {
            var extra = file.Tensors.Where(t => !network.Layout.TryGet(t.Name, out _)).ToList();
            if (extra.Count > 0)
                throw new SafetensorsException(file.SourceName,
                    $"The file holds {extra.Count} tensor(s) the network does not have: " +
                    $"{string.Join(", ", extra.Select(t => $"'{t.Name}' {t.ShapeText}"))} (set AllowExtraTensors to ignore them).",
                    extra[0].Name, extra[0].FileOffset);
        }
        foreach (var tensor in layout)
            file[tensor.Name].CopyTo(network.Parameters.AsSpan(tensor.Offset, tensor.Length));
    }
}
