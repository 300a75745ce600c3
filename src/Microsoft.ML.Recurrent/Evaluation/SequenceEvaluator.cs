using Microsoft.ML.Data;
using Microsoft.ML.Recurrent.Data;

namespace Microsoft.ML.Recurrent.Evaluation;

/// <summary>Computes <see cref="SequenceMetrics"/> from a label column and a score column of scored data.</summary>
internal static class SequenceEvaluator
{
    public static SequenceClassificationMetrics Classification(IDataView data, string labelName, string scoreName)
    {
        var label = Column(data.Schema, labelName, "label");
        var score = Column(data.Schema, scoreName, "score");
        var keyType = (label.Type is VectorDataViewType v ? v.ItemType : label.Type) as KeyDataViewType
            ?? throw new ArgumentOutOfRangeException("inputSchema", $"Schema mismatch for label column '{labelName}': expected a key or a key vector, got {label.Type}");
        if (score.Type is not VectorDataViewType { ItemType: NumberDataViewType s } || s != NumberDataViewType.Single)
            throw new ArgumentOutOfRangeException("inputSchema", $"Schema mismatch for score column '{scoreName}': expected a vector of Single, got {score.Type}");
        int c = (int)keyType.Count;
        var names = SequenceColumnTypes.GetKeyValueNames(label) ?? Enumerable.Range(1, c).Select(i => i.ToString()).ToArray();
        var confusion = new long[c, c];
        long steps = 0, correct = 0, sequences = 0, goodSequences = 0;
        double logLoss = 0;
        using var cursor = data.GetRowCursor([label, score]);
        var scores = cursor.GetGetter<VBuffer<float>>(score);
        var keys = Keys(cursor, label);
        VBuffer<float> p = default;
        var k = new List<uint>();
        long row = -1;
        while (cursor.MoveNext())
        {
            row++;
            scores(ref p);
            keys(k);
            var probs = p.DenseValues().ToArray();
            if (probs.Length != k.Count * c)
                throw new InvalidOperationException($"Column '{scoreName}', row {row}: {probs.Length} scores for {k.Count} label steps of {c} classes.");
            bool any = false, allRight = true;
            for (int t = 0; t < k.Count; t++)
            {
                if (k[t] == 0) continue;
                if (k[t] > c) throw new InvalidOperationException($"Column '{labelName}', row {row}: key {k[t]} is outside 1..{c}.");
                var step = probs.AsSpan(t * c, c);
                int actual = (int)k[t] - 1, predicted = 0;
                for (int j = 1; j < c; j++) if (step[j] > step[predicted]) predicted = j;
                confusion[actual, predicted]++;
                logLoss -= Math.Log(Math.Max(step[actual], 1e-15));
                steps++;
                any = true;
                if (actual == predicted) correct++; else allRight = false;
            }
            if (!any) continue;
            sequences++;
            if (allRight) goodSequences++;
        }
        if (steps == 0) throw new InvalidOperationException($"Column '{labelName}' has no labelled step to evaluate.");
        double macro = Enumerable.Range(0, c).Select(i => (i, n: Enumerable.Range(0, c).Sum(j => confusion[i, j])))
            .Where(x => x.n > 0).Average(x => confusion[x.i, x.i] / (double)x.n);
        return new SequenceClassificationMetrics(steps, sequences, correct / (double)steps, goodSequences / (double)sequences, macro,
            logLoss / steps, confusion, names);
    }

    public static SequenceRegressionMetrics Regression(IDataView data, string labelName, string scoreName)
    {
        var label = Column(data.Schema, labelName, "label");
        var score = Column(data.Schema, scoreName, "score");
        var labels = Floats(data.Schema, label, "label");
        var scores = Floats(data.Schema, score, "score");
        using var cursor = data.GetRowCursor([label, score]);
        var getLabels = labels(cursor);
        var getScores = scores(cursor);
        var y = new List<float>();
        var yhat = new List<float>();
        long steps = 0, sequences = 0, row = -1;
        double abs = 0, sq = 0, sum = 0, sumSq = 0;
        while (cursor.MoveNext())
        {
            row++;
            getLabels(y);
            getScores(yhat);
            if (y.Count != yhat.Count)
                throw new InvalidOperationException($"Column '{scoreName}', row {row}: {yhat.Count} scores for {y.Count} label values.");
            bool any = false;
            for (int i = 0; i < y.Count; i++)
            {
                if (float.IsNaN(y[i])) continue;
                double d = yhat[i] - y[i];
                abs += Math.Abs(d); sq += d * d; sum += y[i]; sumSq += (double)y[i] * y[i];
                steps++;
                any = true;
            }
            if (any) sequences++;
        }
        if (steps == 0) throw new InvalidOperationException($"Column '{labelName}' has no labelled value to evaluate.");
        double total = sumSq - sum * sum / steps;
        return new SequenceRegressionMetrics(steps, sequences, abs / steps, Math.Sqrt(sq / steps), total > 0 ? 1 - sq / total : double.NaN);
    }

    private static DataViewSchema.Column Column(DataViewSchema schema, string name, string role) =>
        schema.GetColumnOrNull(name) ?? throw new ArgumentOutOfRangeException("inputSchema", $"Could not find {role} column '{name}'");

    private static Action<List<uint>> Keys(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        if (column.Type is VectorDataViewType)
        {
            var get = cursor.GetGetter<VBuffer<uint>>(column);
            VBuffer<uint> v = default;
            return list => { get(ref v); list.Clear(); list.AddRange(v.DenseValues()); };
        }
        var one = cursor.GetGetter<uint>(column);
        return list => { uint k = 0; one(ref k); list.Clear(); list.Add(k); };
    }

    private static Func<DataViewRowCursor, Action<List<float>>> Floats(DataViewSchema schema, DataViewSchema.Column column, string role)
    {
        var item = column.Type is VectorDataViewType v ? v.ItemType : column.Type;
        if (item != NumberDataViewType.Single)
            throw new ArgumentOutOfRangeException("inputSchema", $"Schema mismatch for {role} column '{column.Name}': expected Single or a vector of Single, got {column.Type}");
        if (column.Type is VectorDataViewType)
            return cursor =>
            {
                var get = cursor.GetGetter<VBuffer<float>>(column);
                VBuffer<float> buffer = default;
                return list => { get(ref buffer); list.Clear(); list.AddRange(buffer.DenseValues()); };
            };
        return cursor =>
        {
            var get = cursor.GetGetter<float>(column);
            return list => { float x = 0; get(ref x); list.Clear(); list.Add(x); };
        };
    }
}
