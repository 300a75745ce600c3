using System.Globalization;

namespace Samples.AirlineForecast;

/// <summary>Monthly airline passengers 1949 to 1960 (Box and Jenkins, series G), in thousands.</summary>
public static class AirlineData
{
    /// <summary>The file's path inside the shared data folder.</summary>
    public const string RelativePath = "airline/Airline.csv";

    /// <summary>Reads the <c>Date,Passengers</c> file: the months ("1949-01") and the counts.</summary>
    public static (string[] Months, double[] Passengers) Load(string path)
    {
        var rows = File.ReadLines(path).Skip(1).Where(line => line.Length > 0).Select(line => line.Split(',')).ToArray();
        return (rows.Select(r => r[0]).ToArray(), rows.Select(r => double.Parse(r[1], CultureInfo.InvariantCulture)).ToArray());
    }
}
