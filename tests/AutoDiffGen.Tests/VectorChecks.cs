using System;
using System.Globalization;
using Xunit;
using static AutoDiffGen.Tests.NumericalChecks;

namespace AutoDiffGen.Tests;

/// <summary>A vector-valued function with its differentiable inputs packed into z.</summary>
internal delegate void PackedVector(double[] z, Span<double> result);

/// <summary>Its Jvp companion along the packed direction <paramref name="dz"/>.</summary>
internal delegate void PackedVectorJvp(double[] z, Span<double> result, double[] dz, Span<double> resultTangent);

/// <summary>Its Vjp companion, writing the packed gradient into <paramref name="g"/>.</summary>
internal delegate void PackedVectorVjp(double[] z, Span<double> result, double[] cotangent, Span<double> g);

/// <summary>Its Jacobian companion.</summary>
internal delegate void PackedJacobian(double[] z, Span<double> result, Span<double> jacobian);

/// <summary>
/// One vector-valued method seen through packed views: <see cref="Sample"/> draws z (all
/// differentiable inputs concatenated in declaration order), <see cref="Initial"/> the initial
/// contents of the result (null: the method never reads them, so NaN is passed, and any read
/// would show as a NaN in the outputs).
/// </summary>
internal sealed record VectorCase(
    string Name,
    int Outputs,
    Func<Random, double[]> Sample,
    PackedVector F,
    PackedVectorJvp Jvp,
    PackedVectorVjp Vjp,
    PackedJacobian Jacobian,
    Func<Random, double[]>? Initial = null);

/// <summary>
/// Independent checks of the vector-mode companions: the Jacobian against central differences
/// of the method itself, forward against reverse mode (JVP columns and VJP rows against the
/// Jacobian, and the dot-product test), values against the method's own values, outputs pre-filled
/// with garbage (so they must be overwritten, not accumulated into).
/// </summary>
internal static class VectorChecks
{
    /// <summary>Garbage that every output is pre-filled with.</summary>
    public const double Garbage = 12345.0;

    /// <summary>
    /// Forward against reverse mode, element-wise: |a - b| &lt;= ModeRelative * max(|a|, the
    /// largest |entry| of the Jacobian) (both are exact up to rounding in a different order).
    /// </summary>
    public const double ModeRelative = 1e-10;

    /// <summary>Dot-product test: |&lt;J v, w&gt; - &lt;v, J^T w&gt;| &lt;= DotRelative * sum_ij |w_i J_ij v_j|.</summary>
    public const double DotRelative = 1e-10;

    /// <param name="onPoint">Called with each sampled point (to check which paths the points take).</param>
    public static void Check(VectorCase c, int seed, int points = 3, Action<double[]>? onPoint = null)
    {
        var random = new Random(seed);
        for (int p = 0; p < points; p++)
        {
            var z = c.Sample(random);
            onPoint?.Invoke((double[])z.Clone());
            var initial = c.Initial?.Invoke(random);
            int n = z.Length;
            int m = c.Outputs;
            var at = c.Name + " at z = [" + string.Join(", ", Array.ConvertAll(z, v => v.ToString("R", CultureInfo.InvariantCulture))) + "]";
            double[] Fresh()
            {
                var r = new double[m];
                if (initial is null) Array.Fill(r, double.NaN);
                else initial.CopyTo(r, 0);
                return r;
            }

            var y = Fresh();
            c.F(z, y);
            foreach (var v in y)
            {
                Assert.True(double.IsFinite(v), "value not finite " + at);
            }

            // The Jacobian: values, then against central differences of the method.
            var result = Fresh();
            var jacobian = Filled(m * n);
            c.Jacobian(z, result, jacobian);
            AssertSameValues(y, result, "Jacobian", at);
            double largest = 0;
            foreach (var e in jacobian)
            {
                Assert.True(double.IsFinite(e), "Jacobian entry not finite " + at);
                largest = Math.Max(largest, Math.Abs(e));
            }

            for (int j = 0; j < n; j++)
            {
                double x = z[j];
                double h = Step(x);
                double up = x + h;
                double down = x - h;
                var yUp = Fresh();
                var yDown = Fresh();
                z[j] = up;
                c.F(z, yUp);
                z[j] = down;
                c.F(z, yDown);
                z[j] = x;
                for (int i = 0; i < m; i++)
                {
                    double fd = (yUp[i] - yDown[i]) / (up - down);
                    double ad = jacobian[(i * n) + j];
                    double tolerance = FdRelative * Math.Max(1.0, Math.Abs(ad));
                    Assert.True(
                        Math.Abs(fd - ad) <= tolerance,
                        $"J[{i},{j}] = {ad:R}, central differences {fd:R}, error {Math.Abs(fd - ad):E2} > {tolerance:E2} {at}");
                }
            }

            // Columns from the JVP along unit directions, rows from the VJP with unit cotangents.
            for (int j = 0; j < n; j++)
            {
                var unit = new double[n];
                unit[j] = 1.0;
                var r = Fresh();
                var tangent = Filled(m);
                c.Jvp(z, r, unit, tangent);
                AssertSameValues(y, r, "Jvp", at);
                for (int i = 0; i < m; i++)
                {
                    AssertModesAgree(jacobian[(i * n) + j], tangent[i], largest, $"JVP column {j}, row {i} {at}");
                }
            }

            for (int i = 0; i < m; i++)
            {
                var unit = new double[m];
                unit[i] = 1.0;
                var r = Fresh();
                var g = Filled(n);
                c.Vjp(z, r, unit, g);
                AssertSameValues(y, r, "Vjp", at);
                for (int j = 0; j < n; j++)
                {
                    AssertModesAgree(jacobian[(i * n) + j], g[j], largest, $"VJP row {i}, column {j} {at}");
                }
            }

            // Dot-product test with random directions and cotangents.
            for (int k = 0; k < 2; k++)
            {
                var v = Direction(random, n);
                var w = Direction(random, m);
                var jv = Filled(m);
                var jtw = Filled(n);
                c.Jvp(z, Fresh(), v, jv);
                c.Vjp(z, Fresh(), w, jtw);
                double left = Dot(jv, w);
                double right = Dot(v, jtw);
                double scale = 0;
                for (int i = 0; i < m; i++)
                {
                    for (int j = 0; j < n; j++)
                    {
                        scale += Math.Abs(w[i] * jacobian[(i * n) + j] * v[j]);
                    }
                }

                Assert.True(
                    Math.Abs(left - right) <= (DotRelative * scale) + 1e-300,
                    $"<J v, w> = {left:R} but <v, J^T w> = {right:R} (scale {scale:E2}) {at}");
            }
        }
    }

    public static double[] Filled(int length)
    {
        var a = new double[length];
        Array.Fill(a, Garbage);
        return a;
    }

    /// <summary>The companions compute the values exactly as the method does.</summary>
    private static void AssertSameValues(double[] expected, double[] actual, string companion, string at)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(expected[i].Equals(actual[i]), $"{companion} wrote result[{i}] = {actual[i]:R}, the method {expected[i]:R} {at}");
        }
    }

    private static void AssertModesAgree(double expected, double actual, double largest, string what)
    {
        double tolerance = ModeRelative * Math.Max(Math.Abs(expected), largest);
        Assert.True(Math.Abs(actual - expected) <= tolerance, $"{what}: Jacobian {expected:R}, companion {actual:R}");
    }
}
