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
/// Calls an Hvp companion along the packed direction <paramref name="v"/>: writes the packed
/// Hessian-vector product into <paramref name="hv"/> and returns the value.
/// </summary>
internal delegate double PackedHvp(double[] z, double[] v, double[] hv);

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

    /// <summary>
    /// HVP against central differences of the generated gradient along v:
    /// |hv_i - fd_i| &lt;= HvpFdRelative * max(1, |hv_i|), with fd = (grad(z + e v) - grad(z - e v)) / (2 e)
    /// and e = <see cref="HvpStep"/>. The truncation error is of order e^2 times the third
    /// derivative, the rounding error of order eps |grad| / e, both far below 1e-5 at the sampled points.
    /// </summary>
    public const double HvpFdRelative = 1e-5;

    /// <summary>
    /// Symmetry of the Hessian seen through the HVP: |&lt;H v, w&gt; - &lt;v, H w&gt;| &lt;=
    /// HvpSymmetryRelative * (sum_i |(H v)_i w_i| + sum_i |v_i (H w)_i|) + 1e-300 (relative to the
    /// size of the terms, as for the JVP check; an exactly zero Hessian must give exactly zero).
    /// </summary>
    public const double HvpSymmetryRelative = 1e-9;

    /// <summary>
    /// Step along the direction v (components in [-1, 1)) for the differenced gradient:
    /// 1e-5 * max(1, max_i |z_i|), relative to the size of the point.
    /// </summary>
    public static double HvpStep(double[] z)
    {
        double size = 1.0;
        foreach (double x in z)
        {
            size = Math.Max(size, Math.Abs(x));
        }

        return 1e-5 * size;
    }

    /// <summary>
    /// Central difference of the gradient along <paramref name="v"/>: (grad(z + e v) - grad(z - e v))
    /// / (2 e) with e = <see cref="HvpStep"/>; the directional derivative of the gradient, i.e. H v.
    /// </summary>
    public static double[] CentralDifferenceHvp(PackedGradient gradient, double[] z, double[] v)
    {
        double e = HvpStep(z);
        var up = new double[z.Length];
        var down = new double[z.Length];
        for (int i = 0; i < z.Length; i++)
        {
            up[i] = z[i] + (e * v[i]);
            down[i] = z[i] - (e * v[i]);
        }

        var gUp = new double[z.Length];
        var gDown = new double[z.Length];
        gradient(up, gUp);
        gradient(down, gDown);
        var fd = new double[z.Length];
        for (int i = 0; i < z.Length; i++)
        {
            fd[i] = (gUp[i] - gDown[i]) / (2 * e);
        }

        return fd;
    }

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
    /// direction&gt; for two random directions, the HVP companion against central differences of the
    /// gradient companion along a random direction and for the symmetry &lt;H v, w&gt; = &lt;v, H w&gt;
    /// with two random directions, and every companion's value equal to the function's own value.
    /// Gradient and HVP buffers are pre-filled with garbage, since outputs must be overwritten, not
    /// accumulated into.
    /// </summary>
    /// <param name="sample">Draws a point inside the function's domain.</param>
    public static void CheckFunction(
        int seed,
        Func<Random, double[]> sample,
        PackedFunction f,
        PackedGradient gradient,
        PackedJvp jvp,
        PackedHvp hvp,
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

            CheckHvp(random, z, value, gradient, hvp, at);
        }
    }

    /// <summary>The HVP part of <see cref="CheckFunction"/> at one point.</summary>
    private static void CheckHvp(Random random, double[] z, double value, PackedGradient gradient, PackedHvp hvp, string at)
    {
        var v = Direction(random, z.Length);
        var w = Direction(random, z.Length);
        var hv = new double[z.Length];
        var hw = new double[z.Length];
        Array.Fill(hv, 12345.0);
        Array.Fill(hw, -6789.0);
        double hvpValue = hvp(z, v, hv);
        Assert.True(value.Equals(hvpValue), $"Hvp companion returned {hvpValue:R}, function {value:R} {at}");
        hvpValue = hvp(z, w, hw);
        Assert.True(value.Equals(hvpValue), $"Hvp companion returned {hvpValue:R}, function {value:R} {at}");

        var fd = CentralDifferenceHvp(gradient, z, v);
        for (int i = 0; i < z.Length; i++)
        {
            double error = Math.Abs(fd[i] - hv[i]);
            double tolerance = HvpFdRelative * Math.Max(1.0, Math.Abs(hv[i]));
            Assert.True(
                error <= tolerance,
                $"HVP component {i}: generated {hv[i]:R}, differenced gradient {fd[i]:R}, error {error:E2} > {tolerance:E2} {at}");
        }

        double left = 0, right = 0, scale = 0;
        for (int i = 0; i < z.Length; i++)
        {
            left += hv[i] * w[i];
            right += v[i] * hw[i];
            scale += Math.Abs(hv[i] * w[i]) + Math.Abs(v[i] * hw[i]);
        }

        double asymmetry = Math.Abs(left - right);
        Assert.True(
            asymmetry <= (HvpSymmetryRelative * scale) + 1e-300,
            $"<H v, w> = {left:R} but <v, H w> = {right:R}, difference {asymmetry:E2} (scale {scale:E2}) {at}");
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
