using Recurrent.Native.Kernels;
using Recurrent.Native.Layers;
using Recurrent.Native.Tensors;

namespace Recurrent.Native.Tests.TestSupport;

/// <summary>How close the last forward came to a kink, and how many arguments fell where the slope is 0 or not.</summary>
/// <param name="Margin">Smallest distance of any argument of a piecewise-linear function to one of its kinks (∞: none).</param>
/// <param name="Flat">Arguments where the derivative is 0 (ReLU below 0, hard sigmoid saturated).</param>
/// <param name="Sloped">Arguments where the derivative is not 0.</param>
internal readonly record struct KinkReport(double Margin, int Flat, int Sloped);

/// <summary>
/// Central differences are only valid for a piecewise-linear function (ReLU, hard sigmoid, MAE's |y − t|) if no ±ε
/// perturbation moves an argument across a kink. This recomputes, from each layer's input, output and parameters,
/// every argument the last forward of a problem gave such a function, so a test can show the margin is wide and that
/// both the flat and the sloped pieces were exercised. Unidirectional layers only; Graves peepholes with hard-sigmoid
/// gates are not handled (their arguments also need c).
/// </summary>
internal static class Kinks
{
    public static KinkReport Measure(Problem<double> p)
    {
        var net = p.Net;
        var acc = new Accumulator();
        for (int l = 0; l < net.Layers.Count; l++)
        {
            ReadOnlySpan<double> x = l == 0 ? p.Input : p.Workspace.LayerOutput(l - 1);
            var y = p.Workspace.LayerOutput(l);
            switch (net.Layers[l])
            {
                case OutputLayer<double> { Loss: LossKind.MeanAbsoluteError } o:
                    var labels = p.LabelMask ?? p.Mask;
                    for (int r = 0; r < p.Steps * p.Batch; r++)
                        if (labels is null || labels[r] != 0f)
                            for (int j = 0; j < o.OutputSize; j++)
                                acc.Add(y[r * o.OutputSize + j] - p.Targets[r * o.OutputSize + j], Activation.Identity);
                    break;
                case OutputLayer<double>:
                    break;
                case DenseLayer<double> d when IsKinked(d.Activation):
                    for (int r = 0; r < p.Steps * p.Batch; r++)
                        if (Present(p, r))
                            foreach (double z in Affine(net.Parameters, d.Weight, d.Bias, null, x.Slice(r * d.InputSize, d.InputSize)))
                                acc.Add(z, d.Activation);
                    break;
                case SimpleRnnLayer<double> s when IsKinked(s.Activation):
                    Recurrence(p, l, s, x, y, acc, s.Activation, gates: [0]);
                    break;
                case LstmLayer<double> { Peepholes: false } m when IsKinked(m.GateActivation):
                    Recurrence(p, l, m, x, y, acc, m.GateActivation, gates: [0, 1, 3]);   // i, f, o (g uses the cell activation)
                    break;
                case LstmLayer<double> m when IsKinked(m.GateActivation) || IsKinked(m.CellActivation):
                    throw new NotSupportedException($"Kink analysis of layer {l} (peepholes or a kinked cell activation) is not implemented.");
                case SimpleRnnLayer<double>:
                case LstmLayer<double>:
                case DenseLayer<double>:
                    break;
                default:
                    throw new NotSupportedException($"Kink analysis of layer {l} ({net.Layers[l].GetType().Name}) is not implemented.");
            }
        }
        return new KinkReport(acc.Margin, acc.Flat, acc.Sloped);
    }

    private static bool IsKinked(Activation a) => a is Activation.ReLU or Activation.HardSigmoid;

    private static bool Present(Problem<double> p, int row) => p.Mask is null || p.Mask[row] != 0f;

    /// <summary>Walks one unidirectional recurrent layer: at each present step, z = W_ih x + b_ih + W_hh h' + b_hh.</summary>
    private static void Recurrence(Problem<double> p, int l, RecurrentLayer<double> layer, ReadOnlySpan<double> x, ReadOnlySpan<double> y,
        Accumulator acc, Activation activation, int[] gates)
    {
        if (layer.Reverse) throw new NotSupportedException("Kink analysis walks forward layers only.");
        int h = layer.Hidden, inp = layer.InputSize;
        for (int b = 0; b < p.Batch; b++)
        {
            var hPrev = new double[h];
            if (p.InitialState is { } s) s.Hidden(l).Slice(b * h, h).CopyTo(hPrev);
            for (int t = 0; t < p.Steps; t++)
            {
                int r = t * p.Batch + b;
                if (!Present(p, r)) continue;
                var z = Affine(p.Net.Parameters, layer.WeightIH, layer.BiasIH, layer.BiasHH, x.Slice(r * inp, inp));
                var zh = Affine(p.Net.Parameters, layer.WeightHH, null, null, hPrev);
                foreach (int g in gates)
                    for (int j = g * h; j < (g + 1) * h; j++) acc.Add(z[j] + zh[j], activation);
                y.Slice(r * h, h).CopyTo(hPrev);
            }
        }
    }

    /// <summary>W x (+ b1) (+ b2) for a weight <c>[out, in]</c> in the flat parameter buffer.</summary>
    private static double[] Affine(double[] p, ParameterTensor w, ParameterTensor? b1, ParameterTensor? b2, ReadOnlySpan<double> x)
    {
        int rows = w.Shape[0], cols = w.Shape[1];
        var z = new double[rows];
        for (int i = 0; i < rows; i++)
        {
            double s = 0;
            for (int k = 0; k < cols; k++) s += p[w.Offset + i * cols + k] * x[k];
            if (b1 is not null) s += p[b1.Offset + i];
            if (b2 is not null) s += p[b2.Offset + i];
            z[i] = s;
        }
        return z;
    }

    private sealed class Accumulator
    {
        public double Margin = double.PositiveInfinity;
        public int Flat, Sloped;

        public void Add(double z, Activation a)
        {
            switch (a)
            {
                case Activation.ReLU or Activation.Identity:   // Identity: MAE's |y − t|, kink at 0, sloped on both sides
                    Margin = Math.Min(Margin, Math.Abs(z));
                    if (a == Activation.ReLU && z < 0) Flat++; else Sloped++;
                    break;
                case Activation.HardSigmoid:                   // clamp(0.2 z + 0.5, 0, 1): kinks at ±2.5
                    Margin = Math.Min(Margin, Math.Abs(Math.Abs(z) - 2.5));
                    if (Math.Abs(z) > 2.5) Flat++; else Sloped++;
                    break;
            }
        }
    }
}
