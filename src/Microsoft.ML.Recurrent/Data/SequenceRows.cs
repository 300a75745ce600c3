using Microsoft.ML.Data;
using Recurrent.Native.Training;

namespace Microsoft.ML.Recurrent.Data;

/// <summary>
/// Reads an <see cref="IDataView"/> into the engine's <see cref="SequenceDataset{T}"/> following a <see cref="ColumnPlan"/>,
/// checking every row: a bad row throws <see cref="InvalidOperationException"/> naming the column and the 0-based row.
/// </summary>
internal static class SequenceRows
{
    public static SequenceDataset<float> Read(IDataView data, ColumnPlan plan, string role, CancellationToken cancel)
    {
        var dataset = NewDataset(plan);
        using var reader = new RowReader(data, plan, cancel);
        while (reader.ReadInto(dataset)) { }
        if (dataset.Count == 0) throw new InvalidOperationException($"The {role} data have no rows.");
        return dataset;
    }

    public static SequenceDataset<float> NewDataset(ColumnPlan plan) =>
        new(plan.FeatureSize, plan.Outputs, plan.Task == RecurrentTask.Classification);

    /// <summary>A cursor over the feature and label columns that appends each row, checked, to a data set.</summary>
    internal sealed class RowReader : IDisposable
    {
        private readonly ColumnPlan _plan;
        private readonly CancellationToken _cancel;
        private readonly DataViewRowCursor _cursor;
        private readonly FeatureReader _features;
        private readonly LabelReader _labels;
        private readonly List<float> _x = [];

        public RowReader(IDataView data, ColumnPlan plan, CancellationToken cancel)
        {
            _plan = plan;
            _cancel = cancel;
            var featureCol = data.Schema[plan.FeatureColumn];
            var labelCol = data.Schema[plan.LabelColumn];
            _cursor = data.GetRowCursor([featureCol, labelCol]);
            _features = new FeatureReader(_cursor, featureCol, plan);
            _labels = new LabelReader(_cursor, labelCol, plan);
        }

        /// <summary>Rows read so far.</summary>
        public long Rows { get; private set; }

        /// <summary>Appends the next row to <paramref name="dataset"/>; false at the end of the data.</summary>
        public bool ReadInto(SequenceDataset<float> dataset)
        {
            if (!_cursor.MoveNext()) return false;
            long row = Rows++;
            if ((row & 1023) == 0) _cancel.ThrowIfCancellationRequested();
            int steps = _features.Read(row, _x);
            if (_plan.Task == RecurrentTask.Classification)
            {
                var classes = _labels.ReadClasses(row, ref steps);
                if (_plan.Mode == SequenceMode.OneToMany) Pad(_x, _plan.FeatureSize, steps);
                dataset.Add(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_x), classes);
            }
            else
            {
                var targets = _labels.ReadValues(row, ref steps);
                if (_plan.Mode == SequenceMode.OneToMany) Pad(_x, _plan.FeatureSize, steps);
                dataset.Add(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_x), targets);
            }
            return true;
        }

        public void Dispose() => _cursor.Dispose();
    }

    /// <summary>One-to-many: the fixed input is step 0 and the other steps are zeros.</summary>
    private static void Pad(List<float> x, int d, int steps)
    {
        while (x.Count < steps * d) x.Add(0f);
    }

    internal static InvalidOperationException RowError(string column, long row, string problem) =>
        new($"Column '{column}', row {row}: {problem}");

    /// <summary>Reads the feature column of the current row as T × d floats.</summary>
    internal sealed class FeatureReader(DataViewRowCursor cursor, DataViewSchema.Column column, ColumnPlan plan)
    {
        private readonly ValueGetter<VBuffer<float>>? _floats = plan.Encoding == FeatureEncoding.Values ? cursor.GetGetter<VBuffer<float>>(column) : null;
        private readonly ValueGetter<VBuffer<uint>>? _keys = plan.Encoding == FeatureEncoding.OneHotKeys ? cursor.GetGetter<VBuffer<uint>>(column) : null;
        private VBuffer<float> _f;
        private VBuffer<uint> _k;

        /// <summary>Fills <paramref name="x"/> with the row's steps and returns the step count.</summary>
        public int Read(long row, List<float> x)
        {
            x.Clear();
            int d = plan.FeatureSize;
            if (_keys is not null)
            {
                _keys(ref _k);
                if (_k.Length == 0) throw RowError(column.Name, row, "the sequence is empty.");
                int t = 0;
                foreach (uint key in _k.DenseValues())
                {
                    if (key == 0 || key > d) throw RowError(column.Name, row, $"step {t} holds key {key}, outside 1..{d} (0 is missing).");
                    for (int j = 0; j < d; j++) x.Add(j == key - 1 ? 1f : 0f);
                    t++;
                }
                return t;
            }
            _floats!(ref _f);
            int n = _f.Length;
            if (n == 0) throw RowError(column.Name, row, "the sequence is empty.");
            if (plan.SingleStepInput && n != d) throw RowError(column.Name, row, $"{n} values; the input is one step of {d} values.");
            if (n % d != 0) throw RowError(column.Name, row, $"{n} values is not a multiple of the {d} values per step.");
            int i = 0;
            foreach (float v in _f.DenseValues())
            {
                if (!float.IsFinite(v)) throw RowError(column.Name, row, $"step {i / d}, feature {i % d} is {v}; features must be finite.");
                x.Add(v);
                i++;
            }
            return n / d;
        }
    }

    /// <summary>Reads the label column of the current row as a class or values per step.</summary>
    internal sealed class LabelReader
    {
        private readonly ColumnPlan _plan;
        private readonly string _name;
        private readonly ValueGetter<uint>? _key;
        private readonly ValueGetter<float>? _float;
        private readonly ValueGetter<VBuffer<uint>>? _keys;
        private readonly ValueGetter<VBuffer<float>>? _floats;
        private VBuffer<uint> _k;
        private VBuffer<float> _f;
        private int[] _classes = [];
        private float[] _values = [];

        public LabelReader(DataViewRowCursor cursor, DataViewSchema.Column column, ColumnPlan plan)
        {
            _plan = plan;
            _name = column.Name;
            if (plan.LabelIsVector)
            {
                if (plan.LabelIsKey) _keys = cursor.GetGetter<VBuffer<uint>>(column); else _floats = cursor.GetGetter<VBuffer<float>>(column);
            }
            else if (plan.LabelIsKey) _key = cursor.GetGetter<uint>(column);
            else _float = cursor.GetGetter<float>(column);
        }

        /// <summary>Class per step (−1 = none); for one-to-many sets <paramref name="steps"/> to the label length.</summary>
        public ReadOnlySpan<int> ReadClasses(long row, ref int steps)
        {
            if (!_plan.LabelIsVector)
            {
                int cls = _key is not null ? KeyClass(row, Get(_key), -1) : IndexClass(row, Get(_float!), -1);
                if (cls < 0) throw RowError(_name, row, "the label is missing; a sequence label is required in ManyToOne mode.");
                var one = Buffer(ref _classes, steps);
                one.Fill(-1);
                one[steps - 1] = cls;
                return one;
            }
            int n;
            if (_keys is not null) { _keys(ref _k); n = _k.Length; } else { _floats!(ref _f); n = _f.Length; }
            steps = CheckSteps(row, steps, n);
            var classes = Buffer(ref _classes, steps);
            int t = 0;
            if (_keys is not null) foreach (uint k in _k.DenseValues()) { classes[t] = KeyClass(row, k, t); t++; }
            else foreach (float v in _f.DenseValues()) { classes[t] = IndexClass(row, v, t); t++; }
            return classes;
        }

        /// <summary>Values per step (NaN = none); for one-to-many sets <paramref name="steps"/> to the label length.</summary>
        public ReadOnlySpan<float> ReadValues(long row, ref int steps)
        {
            int o = _plan.Outputs;
            if (_float is not null)
            {
                float y = Get(_float);
                if (!float.IsFinite(y)) throw RowError(_name, row, $"the label is {y}; a finite value is required in ManyToOne mode.");
                var one = Buffer(ref _values, steps);
                one.Fill(float.NaN);
                one[steps - 1] = y;
                return one;
            }
            _floats!(ref _f);
            if (_plan.Mode == SequenceMode.ManyToOne)
            {
                if (_f.Length != o) throw RowError(_name, row, $"{_f.Length} label values; expected {o}.");
                var one = Buffer(ref _values, steps * o);
                one.Fill(float.NaN);
                int j = 0;
                foreach (float v in _f.DenseValues())
                {
                    if (!float.IsFinite(v)) throw RowError(_name, row, $"label value {j} is {v}; finite values are required in ManyToOne mode.");
                    one[(steps - 1) * o + j++] = v;
                }
                return one;
            }
            if (_f.Length % o != 0) throw RowError(_name, row, $"{_f.Length} label values is not a multiple of the {o} values per step.");
            steps = CheckSteps(row, steps, _f.Length / o);
            var values = Buffer(ref _values, steps * o);
            int i = 0;
            foreach (float v in _f.DenseValues())
            {
                if (float.IsInfinity(v)) throw RowError(_name, row, $"step {i / o} holds {v}; use NaN for a step without a label.");
                values[i++] = v;
            }
            return values;
        }

        private int CheckSteps(long row, int featureSteps, int labelSteps)
        {
            if (labelSteps == 0) throw RowError(_name, row, "the label sequence is empty.");
            if (_plan.Mode == SequenceMode.OneToMany) return labelSteps;
            if (labelSteps != featureSteps)
                throw RowError(_name, row, $"{labelSteps} label steps but the feature sequence '{_plan.FeatureColumn}' has {featureSteps}; they must match.");
            return labelSteps;
        }

        private int KeyClass(long row, uint key, int step)
        {
            if (key == 0) return -1;
            if (key > _plan.Outputs) throw RowError(_name, row, $"{Where(step)}key {key} is outside the label range 1..{_plan.Outputs}.");
            return (int)key - 1;
        }

        private int IndexClass(long row, float value, int step)
        {
            if (float.IsNaN(value)) return -1;
            if (value < 0 || value >= _plan.Outputs || value != MathF.Floor(value))
                throw RowError(_name, row, $"{Where(step)}class {value} is not an index in [0, {_plan.Outputs}).");
            return (int)value;
        }

        private static string Where(int step) => step >= 0 ? $"step {step}: " : "";
        private static TValue Get<TValue>(ValueGetter<TValue> getter) { TValue v = default!; getter(ref v); return v; }
        private static Span<TItem> Buffer<TItem>(ref TItem[] buffer, int n)
        {
            if (buffer.Length < n) buffer = new TItem[Math.Max(n, 2 * buffer.Length)];
            return buffer.AsSpan(0, n);
        }
    }
}
