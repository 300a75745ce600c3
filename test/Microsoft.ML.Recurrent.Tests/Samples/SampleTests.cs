using Samples.AirlineForecast;
using Samples.JapaneseVowels;
using Samples.SyntheticControl;
using Samples.TextGeneration;

namespace Microsoft.ML.Recurrent.Tests.Samples;

/// <summary>
/// Every sample under <c>samples/</c>, run in-process in its quick mode (little data, one or two epochs): it trains,
/// saves its model, loads it back and answers with the loaded model. Accuracy is not checked here; the README's
/// numbers come from the samples' full runs.
/// </summary>
[TestClass]
public sealed class SampleTests
{
    private string _folder = "";
    private readonly StringWriter _output = new();

    public TestContext TestContext { get; set; } = null!;

    [TestInitialize]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("recurrent-samples").FullName;

    [TestCleanup]
    public void DeleteFolder()
    {
        TestContext.WriteLine(_output.ToString());
        Directory.Delete(_folder, recursive: true);
    }

    private string ModelPath(string name) => Path.Combine(_folder, name);

    [TestMethod]
    public void SyntheticControl_OnGeneratedCharts_NeedsNoData()
    {
        var result = SyntheticControlSample.Run(new SyntheticControlOptions { Quick = true, ModelPath = ModelPath("charts.zip") }, _output);

        AssertSavedAndReloaded(result.ModelPath, result.ReloadedAgrees);
        Assert.Contains(result.Answer.Prediction, ControlChartGenerator.ClassNames);
        Assert.HasCount(ControlChartGenerator.ClassNames.Count, result.Answer.Score);
        Assert.IsTrue(result.TestAccuracy is >= 0 and <= 1);
    }

    [TestMethod]
    public void SyntheticControl_OnTheUcrSplit()
    {
        string folder = SharedData.RequireOrSkip("SyntheticControl_ucr");
        var result = SyntheticControlSample.Run(new SyntheticControlOptions { Ucr = true, DataFolder = folder, Quick = true, ModelPath = ModelPath("ucr.zip") }, _output);

        AssertSavedAndReloaded(result.ModelPath, result.ReloadedAgrees);
        Assert.AreEqual(30, result.TestCount);
        Assert.Contains(result.Answer.Prediction, ControlChartGenerator.ClassNames);
    }

    [TestMethod]
    public void JapaneseVowels_NamesASpeaker()
    {
        string folder = SharedData.RequireOrSkip("JapaneseVowels");
        var result = JapaneseVowelsSample.Run(new JapaneseVowelsOptions { DataFolder = folder, Quick = true, ModelPath = ModelPath("vowels.zip") }, _output);

        AssertSavedAndReloaded(result.ModelPath, result.ReloadedAgrees);
        Assert.IsTrue(File.Exists(ChannelStandardizer.PathFor(result.ModelPath)));
        Assert.Contains(result.Answer.Prediction, VowelData.Speakers);
        Assert.HasCount(VowelData.Speakers.Count, result.Answer.Score);
    }

    [TestMethod]
    public void TextGeneration_WritesTextWithTheTimeStepEngine()
    {
        string path = SharedData.RequireOrSkip(ShakespeareText.RelativePath);
        var options = new TextGenerationOptions { DataPath = path, Length = TrainingLength.Quick, Characters = 80, ModelPath = ModelPath("text.zip") };
        var result = TextGenerationSample.Run(options, _output);

        AssertSavedAndReloaded(result.ModelPath, reloadedAgrees: true);
        Assert.IsTrue(File.Exists(TextGenerator.VocabularyPath(result.ModelPath)));
        Assert.AreEqual(80, result.Generated.Length);
        Assert.IsTrue(double.IsFinite(result.ValidationNats) && result.ValidationNats > 0);
        Assert.AreEqual(Math.Exp(result.ValidationNats), result.ValidationPerplexity, 1e-9);
    }

    [TestMethod]
    public void AirlineForecast_ForecastsTwelveMonthsStepByStep()
    {
        string path = SharedData.RequireOrSkip(AirlineData.RelativePath);
        var result = AirlineForecastSample.Run(new AirlineForecastOptions { DataPath = path, Quick = true, ModelPath = ModelPath("airline.zip") }, _output);

        AssertSavedAndReloaded(result.ModelPath, reloadedAgrees: true);
        Assert.AreEqual("1960-01", result.FirstMonth);
        Assert.HasCount(AirlineForecastSample.Horizon, result.Forecast);
        Assert.IsTrue(result.Forecast.All(v => double.IsFinite(v) && v > 0));
    }

    private static void AssertSavedAndReloaded(string modelPath, bool reloadedAgrees)
    {
        Assert.IsTrue(File.Exists(modelPath), modelPath);
        Assert.IsTrue(reloadedAgrees, "the reloaded model answers as the trained one");
    }
}
