using Microsoft.ML;
using Microsoft.ML.Data;

namespace Samples.SyntheticControl;

/// <summary>The UCR archive's split of the real data set: 300 training and 300 test charts, labels 1 to 6.</summary>
public static class UcrControlCharts
{
    /// <summary>The folder's name inside the shared data folder.</summary>
    public const string FolderName = "SyntheticControl_ucr";

    /// <summary>Reads <c>synthetic_control_TRAIN</c> or <c>synthetic_control_TEST</c> from <paramref name="folder"/>.</summary>
    public static ModelInput[] Load(MLContext ml, string folder, string split)
    {
        var view = ml.Data.LoadSequencesFromUcrFile(Path.Combine(folder, $"synthetic_control_{split}"));
        var named = ml.Transforms.Conversion.MapKeyToValue("Class", "Label").Fit(view).Transform(view);
        var features = named.GetColumn<float[]>("Features").ToArray();
        var labels = named.GetColumn<string>("Class").ToArray();
        return features.Zip(labels, (x, label) => new ModelInput
        {
            Features = x,
            Label = ControlChartGenerator.ClassNames[int.Parse(label) - 1],
        }).ToArray();
    }
}
