using System;
using System.Globalization;
using Xunit;

namespace AutoDiffGen.Tests;

/// <summary>The function under test, reading its differentiable inputs packed into one flat vector.</summary>
/// <param name="z">All differentiable inputs, concatenated in declaration order.</param>
internal delegate double PackedFunction(double[] z);

/// <summary>Calls a Gradient companion: writes the packed gradient into <paramref name="g"/> and returns the value.</summary>
internal delegate double PackedGradient(double[] z, double[] g);

/// <summary>Calls a Jvp companion along the packed direction <paramref name="d"/>.</summary>
internal delegate double PackedJvp(double[] z, double[] d, out double tangent);

/// <summary>
/// Independent references for the generated companions: central finite differences, dot products,
/// seeded random points. Functions are seen through a packed view: every differentiable input
/// (doubles and the elements of arrays and spans) is one coordinate of a flat vector z, in
/// declaration order, so one checker serves every signature.
/// </summary>
internal static class NumericalChecks
{
    /// <summary>
    /// Gradient against central differences: |fd_i - g_i| &lt;= FdRelative * max(1, |g_i|), i.e. a
    /// relative error of 1e-6 with an absolute floor of 1e-6 for components smaller than 1.
    /// </summary>
    public const double FdRelative = 1e-6;

    /// <summary>
    /// JVP against &lt;gradient, direction&gt;: |t - &lt;g, d&gt;| &lt;= JvpRelative * sum_i |g_i d_i|
    /// (relative to the size of the terms, so cancellation in the dot product does not make the
    /// test meaningless), plus 1e-300 so that an exactly zero derivative must be exactly zero.
    /// </summary>
    public const double JvpRelative = 1e-10;

    /// <summary>Step of central differences for coordinate value <paramref name="x"/>: 1e-6 * max(1, |x|).</summary>
    public static double Step(double x) => 1e-6 * Math.Max(1.0, Math.Abs(x));

    /// <summary>Central-difference gradient of <paramref name="f"/> at <paramref name="z"/> (z is restored).</summary>
    public static double[] CentralDifferenceGradient(PackedFunction f, double[] z)
    {
        var g = new double[z.Length];
        for (int i = 0; i < z.Length; i++)
        {
            double x = z[i];
            double h = Step(x);

            // Use the step as actually represented, so (x + h) - (x - h) is exactly the divisor.
            double up = x + h;
            double down = x - h;
            z[i] = up;
            double fUp = f(z);
            z[i] = down;
            double fDown = f(z);
            z[i] = x;
            g[i] = (fUp - fDown) / (up - down);
        }

        return g;
    }

    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        Assert.Equal(a.Length, b.Length);
        double s = 0;
        for (int i = 0; i < a.Length; i++)
        {
            s += a[i] * b[i];
        }

        return s;
    }

    /// <summary>Uniform in [lo, hi).</summary>
    public static double Uniform(this Random random, double lo, double hi) => lo + ((hi - lo) * random.NextDouble());

    /// <summary>A vector of uniform values in [lo, hi).</summary>
    public static double[] Uniform(this Random random, int n, double lo, double hi)
    {
        var v = new double[n];
        for (int i = 0; i < n; i++)
        {
            v[i] = random.Uniform(lo, hi);
        }

        return v;
    }

    /// <summary>Random direction with components in [-1, 1).</summary>
    public static double[] Direction(Random random, int n) => random.Uniform(n, -1.0, 1.0);

    /// <summary>Slice z[start .. start + length) as a fresh array (for double[] parameters).</summary>
    public static double[] Part(this double[] z, int start, int length) => z.AsSpan(start, length).ToArray();

    /// <summary>
    /// The full check of one function at <paramref name="points"/> seeded random points: the
    /// gradient companion against central differences, the JVP companion against &lt;gradient,
    /// direction&gt; for two random directions, and both companions' values equal to the
    /// function's own value. Gradient buffers are pre-filled with garbage, since outputs must be
    /// overwritten, not accumulated into.
    /// </summary>
    /// <param name="sample">Draws a point inside the function's domain.</param>
    public static void CheckFunction(
        int seed,
        Func<Random, double[]> sample,
        PackedFunction f,
        PackedGradient gradient,
        PackedJvp jvp,
        int points = 5)
    {
        var random = new Random(seed);
        for (int p = 0; p < points; p++)
        {
            var z = sample(random);
            var at = "at z = [" + string.Join(", ", Array.ConvertAll(z, v => v.ToString("R", CultureInfo.InvariantCulture))) + "]";
            double value = f(z);
            Assert.True(double.IsFinite(value), "f is not finite " + at);

            var g = new double[z.Length];
            Array.Fill(g, 12345.0);
            double gradientValue = gradient(z, g);
            Assert.True(value.Equals(gradientValue), $"Gradient companion returned {gradientValue:R}, function {value:R} {at}");

            var fd = CentralDifferenceGradient(f, z);
            for (int i = 0; i < z.Length; i++)
            {
                double error = Math.Abs(fd[i] - g[i]);
                double tolerance = FdRelative * Math.Max(1.0, Math.Abs(g[i]));
                Assert.True(
                    error <= tolerance,
                    $"Gradient component {i}: generated {g[i]:R}, central differences {fd[i]:R}, error {error:E2} > {tolerance:E2} {at}");
            }

            for (int k = 0; k < 2; k++)
            {
                var d = Direction(random, z.Length);
                double jvpValue = jvp(z, d, out double tangent);
                Assert.True(value.Equals(jvpValue), $"Jvp companion returned {jvpValue:R}, function {value:R} {at}");
                double expected = Dot(g, d);
                double scale = 0;
                for (int i = 0; i < z.Length; i++)
                {
                    scale += Math.Abs(g[i] * d[i]);
                }

                double error = Math.Abs(tangent - expected);
                Assert.True(
                    error <= (JvpRelative * scale) + 1e-300,
                    $"JVP {tangent:R} differs from <gradient, direction> {expected:R} by {error:E2} (scale {scale:E2}) {at}");
            }
        }
    }

    /// <summary>Asserts |actual - expected| &lt;= relative * max(|expected|, floor) component-wise.</summary>
    public static void AssertClose(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, double relative, double floor, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            AssertClose(expected[i], actual[i], relative, floor, what + "[" + i.ToString(CultureInfo.InvariantCulture) + "]");
        }
    }

    /// <summary>Asserts |actual - expected| &lt;= relative * max(|expected|, floor).</summary>
    public static void AssertClose(double expected, double actual, double relative, double floor, string what)
    {
        Assert.True(double.IsFinite(actual), $"{what}: {actual} is not finite");
        double error = Math.Abs(actual - expected);
        double tolerance = relative * Math.Max(Math.Abs(expected), floor);
        Assert.True(error <= tolerance, $"{what}: expected {expected:R}, got {actual:R}, error {error:E2} > {tolerance:E2}");
    }

    /// <summary>The Rosenbrock gradient derived by hand: an independent reference.</summary>
    public static double[] HandRosenbrockGradient(double[] x)
    {
        var expected = new double[x.Length];
        for (int i = 0; i < x.Length - 1; i++)
        {
            double b = x[i + 1] - (x[i] * x[i]);
            expected[i] += (-2 * (1 - x[i])) - (400 * x[i] * b);
            expected[i + 1] += 200 * b;
        }

        return expected;
    }
}
