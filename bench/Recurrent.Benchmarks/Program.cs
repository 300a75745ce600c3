// Side-by-side benchmarks of Recurrent.Native against libtorch (TorchSharp-cpu 0.107.0); see README.md, section Benchmarks.
// The parent measures the FP32 peak, then runs every measurement in a child process of this same program.
using System.Globalization;
using Recurrent.Benchmarks;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine(BenchOptions.Usage);
    return 0;
}
BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}
if (options.Child is { } job) return Child.Run(options, job);
if (options.ReportFrom is { } saved)
{
    string again = Report.Markdown(Report.ReadJson(saved));
    Console.WriteLine(again);
    if (options.MarkdownPath is { } path) Report.WriteMarkdown(path, again);
    return 0;
}

var start = DateTime.UtcNow;
var machine = Machine.Describe();
string loadAtStart = Machine.LoadAverage();
var peak = Runner.MeasurePeak(options);
var readAtStart = Runner.MeasureWeightRead(options);
var productAtStart = Runner.MeasureStepProduct(options);
var results = Runner.RunAll(options, Runner.Plan(options));
string loadAtEnd = Machine.LoadAverage();
var peakAtEnd = Runner.MeasurePeak(options);
var readAtEnd = Runner.MeasureWeightRead(options);
var productAtEnd = Runner.MeasureStepProduct(options);
var data = new RunData(start, DateTime.UtcNow, machine, loadAtStart, loadAtEnd, options.Arguments, options.Sampling,
    options.Processes, peak, peakAtEnd, results, readAtStart, readAtEnd, productAtStart, productAtEnd);

string report = Report.Markdown(data);
Console.WriteLine(report);
if (options.JsonPath is { } json) Report.WriteJson(json, data);
if (options.MarkdownPath is { } md) Report.WriteMarkdown(md, report);
return results.Any(r => r.Errors.Count > 0) ? 1 : 0;
