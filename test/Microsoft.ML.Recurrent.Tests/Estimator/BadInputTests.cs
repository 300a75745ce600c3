using Microsoft.ML.Data;
using Recurrent.Native.Network;

namespace Microsoft.ML.Recurrent.Tests.Estimator;

/// <summary>Every kind of bad input fails before or during Fit with an ML.NET-style exception naming the column (and row).</summary>
[TestClass]
public sealed class BadInputTests
{
    public sealed class Row
    {
        [VectorType(0, 2)] public float[] Features { get; set; } = [];
        [KeyType(3)] public uint Label { get; set; }
        [KeyType(3), VectorType] public uint[] Steps { get; set; } = [];
        [VectorType] public float[] Raw { get; set; } = [];
        public float Value { get; set; }
        public string Text { get; set; } = "";
    }

    public sealed class Term { public string Text { get; set; } = ""; }

    private static Row Good(int t = 3) => new()
    {
        Features = Enumerable.Range(0, 2 * t).Select(i => i * 0.1f).ToArray(), Label = 1,
        Steps = Enumerable.Repeat(1u, t).ToArray(), Raw = new float[2 * t], Value = 0.5f, Text = "a",
    };

    private static IDataView Data(MLContext ml, params Row[] rows) => ml.Data.LoadFromEnumerable(rows);

    private static T Fails<T>(Func<object> fit, string mustMention) where T : Exception
    {
        var e = Assert.ThrowsExactly<T>(() => fit());
        StringAssert.Contains(e.Message, mustMention);
        return e;
    }

    private static LstmOptions Quick(Action<LstmOptions>? change = null)
    {
        var o = new LstmOptions { HiddenSize = 4, Epochs = 1 };
        change?.Invoke(o);
        return o;
    }

    [TestMethod]
    public void MissingColumnNamesTheColumn()
    {
        var ml = new MLContext();
        var e = Fails<ArgumentOutOfRangeException>(() => ml.Recurrent().Lstm(Quick(o => o.FeatureColumnName = "Nope")).Fit(Data(ml, Good())), "'Nope'");
        Assert.AreEqual("inputSchema", e.ParamName);
        Fails<ArgumentOutOfRangeException>(() => ml.Recurrent().Lstm(Quick(o => o.LabelColumnName = "Missing")).Fit(Data(ml, Good())), "label column 'Missing'");
    }

    [TestMethod]
    public void WrongColumnTypeNamesTheColumnAndTheTypes()
    {
        var ml = new MLContext();
        var e = Fails<ArgumentOutOfRangeException>(() => ml.Recurrent().Lstm(Quick(o => o.LabelColumnName = "Text")).Fit(Data(ml, Good())), "label column 'Text'");
        StringAssert.Contains(e.Message, "String");
        Fails<ArgumentOutOfRangeException>(() => ml.Recurrent().Lstm(Quick(o => o.FeatureColumnName = "Value")).Fit(Data(ml, Good())), "feature column 'Value'");
        Fails<ArgumentOutOfRangeException>(() => ml.Recurrent().Lstm(Quick(o => o.FeatureColumnName = "Raw")).Fit(Data(ml, Good())), "FeatureSize");
        Fails<ArgumentOutOfRangeException>(() => ml.Recurrent().Lstm(Quick(o => o.LabelColumnName = "Value")).GetOutputSchema(
            new SchemaShape([])), "feature column 'Features'");
    }

    [TestMethod]
    public void SequenceLengthNotAMultipleOfTheStepWidth()
    {
        var ml = new MLContext();
        var bad = Good();
        bad.Features = [1, 2, 3];
        Fails<InvalidOperationException>(() => ml.Recurrent().Lstm(Quick()).Fit(Data(ml, Good(), bad)), "Column 'Features', row 1: 3 values is not a multiple of the 2");
    }

    [TestMethod]
    public void EmptySequenceNamesTheRow()
    {
        var ml = new MLContext();
        var bad = Good();
        bad.Features = [];
        Fails<InvalidOperationException>(() => ml.Recurrent().Lstm(Quick()).Fit(Data(ml, Good(), Good(), bad)), "Column 'Features', row 2: the sequence is empty");
    }

    [TestMethod]
    public void NaNOrInfinityInFeaturesNamesRowStepAndFeature()
    {
        var ml = new MLContext();
        foreach (float v in new[] { float.NaN, float.PositiveInfinity })
        {
            var bad = Good();
            bad.Features[3] = v;
            Fails<InvalidOperationException>(() => ml.Recurrent().Lstm(Quick()).Fit(Data(ml, bad)), "Column 'Features', row 0: step 1, feature 1");
        }
    }

    [TestMethod]
    public void LabelOutsideTheKeyRange()
    {
        var ml = new MLContext();
        var good = Good();
        good.Value = 2;
        var classes = Good();
        classes.Value = 3;                         // class indices 0..2 with NumberOfClasses = 3
        Fails<InvalidOperationException>(() => ml.Recurrent().Lstm(Quick(o => { o.LabelColumnName = "Value"; o.NumberOfClasses = 3; })).Fit(Data(ml, good, classes)),
            "Column 'Value', row 1: class 3 is not an index in [0, 3)");
        var unknown = Good();
        unknown.Text = "not a class";            // MapValueToKey maps a value outside its key data to the missing key 0
        var keyData = ml.Data.LoadFromEnumerable(new[] { "a", "b", "c" }.Select(t => new Term { Text = t }));
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Class", "Text", keyData: keyData)
            .Append(ml.Recurrent().Lstm(Quick(o => o.LabelColumnName = "Class")));
        Fails<InvalidOperationException>(() => pipeline.Fit(Data(ml, Good(), unknown)), "Column 'Class', row 1: the label is missing");
    }

    [TestMethod]
    public void LabelSequenceOfAnotherLength()
    {
        var ml = new MLContext();
        var bad = Good(4);
        bad.Steps = [1, 2, 3];
        Fails<InvalidOperationException>(() => ml.Recurrent().Lstm(Quick(o => o.LabelColumnName = "Steps")).Fit(Data(ml, Good(), bad)),
            "Column 'Steps', row 1: 3 label steps but the feature sequence 'Features' has 4");
    }

    [TestMethod]
    public void EmptyDataSet()
    {
        var ml = new MLContext();
        Fails<InvalidOperationException>(() => ml.Recurrent().Lstm(Quick()).Fit(Data(ml)), "no rows");
    }

    [TestMethod]
    public void InconsistentOptionsFailBeforeAnyRowIsRead()
    {
        var ml = new MLContext();
        var e = Fails<ArgumentOutOfRangeException>(() => ml.Recurrent().Lstm(new LstmOptions
        {
            Layers = [new BidirectionalSpec(new LstmSpec(4))], TruncatedBpttForward = 10,
        }), "bidirectional");
        Assert.AreEqual("TruncatedBpttForward", e.ParamName);
        Fails<ArgumentOutOfRangeException>(() => ml.Recurrent().Lstm(new LstmOptions { TruncatedBpttForward = 5, TruncatedBpttBackward = 6 }), "[1, TruncatedBpttForward = 5]");
        Fails<ArgumentOutOfRangeException>(() => ml.Recurrent().Lstm(new LstmOptions { Epochs = 0 }), "Epochs");
        Fails<ArgumentOutOfRangeException>(() => ml.Recurrent().Lstm(new LstmOptions { EarlyStoppingPatience = 2 }), "ValidationSet");
        Fails<ArgumentOutOfRangeException>(() => ml.Recurrent().Lstm(new LstmOptions { Layers = [new LstmSpec(4) { Dropout = 1.5 }] }), "Dropout");
        Fails<ArgumentOutOfRangeException>(() => ml.Recurrent().Lstm(new LstmOptions { MaximumTrainingTime = TimeSpan.Zero }), "MaximumTrainingTime");
    }
}
