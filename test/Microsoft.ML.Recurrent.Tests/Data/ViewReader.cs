using Microsoft.ML.Data;

namespace Microsoft.ML.Recurrent.Tests.Data;

/// <summary>Reads columns of a data view through a cursor, the way a trainer would.</summary>
internal static class ViewReader
{
    /// <summary>Every row's value of the vector column <paramref name="name"/>.</summary>
    public static List<T[]> Vectors<T>(IDataView view, string name)
    {
        var column = view.Schema[name];
        using var cursor = view.GetRowCursor([column]);
        var getter = cursor.GetGetter<VBuffer<T>>(column);
        var rows = new List<T[]>();
        VBuffer<T> buffer = default;
        while (cursor.MoveNext())
        {
            getter(ref buffer);
            rows.Add(buffer.DenseValues().ToArray());
        }
        return rows;
    }

    /// <summary>Every row's value of the scalar column <paramref name="name"/>.</summary>
    public static List<T> Scalars<T>(IDataView view, string name)
    {
        var column = view.Schema[name];
        using var cursor = view.GetRowCursor([column]);
        var getter = cursor.GetGetter<T>(column);
        var rows = new List<T>();
        T value = default!;
        while (cursor.MoveNext())
        {
            getter(ref value);
            rows.Add(value);
        }
        return rows;
    }

    /// <summary>The key values of column <paramref name="name"/>.</summary>
    public static string[] KeyValues(IDataView view, string name)
    {
        VBuffer<ReadOnlyMemory<char>> values = default;
        view.Schema[name].GetKeyValues(ref values);
        return values.DenseValues().Select(v => v.ToString()).ToArray();
    }

    /// <summary>The dimensions of the vector column <paramref name="name"/>.</summary>
    public static int[] Dimensions(IDataView view, string name) => ((VectorDataViewType)view.Schema[name].Type).Dimensions.ToArray();

    /// <summary>The key count of a key column or of the items of a key-vector column.</summary>
    public static ulong KeyCount(IDataView view, string name) => view.Schema[name].Type switch
    {
        KeyDataViewType key => key.Count,
        VectorDataViewType { ItemType: KeyDataViewType key } => key.Count,
        var other => throw new AssertFailedException($"{name} is {other}, not a key column."),
    };
}
