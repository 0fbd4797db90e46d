using System;
using AutoDiffGen.LinearAlgebra;
using Xunit;
using static AutoDiffGen.Runtime.Tests.Decompositions.SpectralTestMatrices;

namespace AutoDiffGen.Runtime.Tests.Decompositions;

/// <summary>
/// The vectorised helpers behind the spectral decompositions, at every length through all tail paths
/// (CI re-runs the Kernels category with AVX-512 disabled so the 256/128-bit paths run too).
/// </summary>
[Trait("Category", "Kernels")]
public class SpectralKernelTests
{
    [Fact]
    public void FusedSymmetricRowKernelsMatchScalarLoopsAtEveryLength()
    {
        var rng = new Random(7);
        for (int n = 0; n <= 70; n++)
        {
            double[] row = new double[n], v = new double[n], p = new double[n], y = new double[n];
            for (int i = 0; i < n; i++)
            {
                row[i] = rng.NextDouble() - 0.5;
                v[i] = rng.NextDouble() - 0.5;
                p[i] = rng.NextDouble() - 0.5;
                y[i] = rng.NextDouble() - 0.5;
            }

            double[] p2 = (double[])p.Clone();
            double dot = SpectralKernels.DotAndAxpyTail(row, v, 0.3, p2);
            double expectedDot = 0.0;
            for (int i = 0; i < n; i++)
            {
                expectedDot += row[i] * v[i];
                Assert.Equal(i == 0 ? p[i] : p[i] + (0.3 * row[i]), p2[i], 1e-15);
            }

            Assert.Equal(expectedDot, dot, 1e-13);

            double[] row2 = (double[])row.Clone();
            SpectralKernels.Rank2Row(row2, 0.7, v, -1.1, y);
            for (int i = 0; i < n; i++)
            {
                Assert.Equal(row[i] - (0.7 * v[i]) + (1.1 * y[i]), row2[i], 1e-15);
            }
        }
    }

    [Theory]
    [InlineData(6, 1, 50)]
    [InlineData(9, 8, 300)]
    [InlineData(12, 33, 9000)]
    [InlineData(20, 70, 2000)]
    public void PackedRotationReplayMatchesRowByRowRotation(int rows, int cols, int count)
    {
        var rng = new Random(rows + cols);
        double[] a = new double[rows * cols];
        for (int i = 0; i < a.Length; i++)
        {
            a[i] = rng.NextDouble() - 0.5;
        }

        double[] expected = (double[])a.Clone();
        var packed = new PackedRotations(a, rows, cols);
        int chain = rows - 2;
        for (int t = 0; t < count; t++)
        {
            // Mostly sweep-like chains (descending and ascending adjacent pairs), sometimes arbitrary pairs.
            int x, y;
            int kind = t % 7;
            if (kind < 3)
            {
                x = chain;
                y = chain + 1;
                chain = chain == 0 ? rows - 2 : chain - 1;
            }
            else if (kind < 6)
            {
                x = (t / 7) % (rows - 1);
                y = x + 1;
            }
            else
            {
                x = rng.Next(rows);
                y = (x + 1 + rng.Next(rows - 1)) % rows;
            }

            double angle = rng.NextDouble() * 2 * Math.PI;
            double c = Math.Cos(angle), s = Math.Sin(angle);
            packed.Rotate(x, y, c, s);
            for (int j = 0; j < cols; j++)
            {
                double xv = expected[(x * cols) + j], yv = expected[(y * cols) + j];
                expected[(x * cols) + j] = (c * xv) + (s * yv);
                expected[(y * cols) + j] = (c * yv) - (s * xv);
            }
        }

        packed.Unpack(a);
        for (int i = 0; i < a.Length; i++)
        {
            Assert.Equal(expected[i], a[i], 1e-12);
        }
    }

    [Fact]
    public void ReflectorAnnihilatesTheTailAtEveryLength()
    {
        var rng = new Random(6);
        for (int n = 1; n <= 40; n++)
        {
            double[] x = new double[n];
            for (int i = 0; i < n; i++)
            {
                x[i] = rng.NextDouble() - 0.5;
            }

            double[] v = (double[])x.Clone();
            double tau = SpectralKernels.GenerateReflector(v, out double beta);

            // Apply H = I - tau u u^T (u = [1, v[1..]]) to the original x: the result is beta e1.
            double dot = x[0];
            for (int i = 1; i < n; i++)
            {
                dot += v[i] * x[i];
            }

            Assert.Equal(beta, x[0] - (tau * dot), 1e-14);
            for (int i = 1; i < n; i++)
            {
                Assert.Equal(0.0, x[i] - (tau * dot * v[i]), 1e-14);
            }
        }
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(1e-160)]
    [InlineData(1e-300)]
    [InlineData(1e-310)]
    [InlineData(1e200)]
    public void ReflectorIsOrthogonalAtEveryScale(double scale)
    {
        var rng = new Random(8);
        foreach (int n in new[] { 2, 3, 17 })
        {
            double[] x = new double[n];
            for (int i = 0; i < n; i++)
            {
                x[i] = (rng.NextDouble() - 0.5) * scale;
            }

            double[] v = (double[])x.Clone();
            double tau = SpectralKernels.GenerateReflector(v, out double beta);

            // H orthogonal <=> tau (1 + ||v_tail||^2) = 2.
            double vv = 1.0;
            for (int i = 1; i < n; i++)
            {
                vv += v[i] * v[i];
            }

            Assert.Equal(2.0, tau * vv, 1e-13);
            double norm = SpectralKernels.Norm(x);
            Assert.Equal(norm, Math.Abs(beta), norm * (scale < 1e-300 ? 1e-9 : 1e-14));
        }
    }

    [Fact]
    public void NormIsAccurateAcrossTheRange()
    {
        foreach (double scale in new[] { 1e-320, 1e-200, 1.0, 1e200, 1e300 })
        {
            double[] x = [3 * scale, 4 * scale];
            Assert.Equal(5 * scale, SpectralKernels.Norm(x), 5 * scale * (scale < 1e-300 ? 1e-2 : 1e-15));
        }

        Assert.Equal(0.0, SpectralKernels.Norm([]));
    }

    [Fact]
    public void OddSizedEigenAndSvdResidualsAreSmall()
    {
        var s = RandomSymmetric(37, 9);
        var eig = new SymmetricEigenDecomposition(s);
        var q = eig.Eigenvectors;
        Assert.True(Frobenius(Subtract(Multiply(s, q), Multiply(q, eig.D))) / (37 * Frobenius(s) * Eps) < 30);

        var a = Random(41, 29, 10);
        var svd = new SingularValueDecomposition(a);
        Assert.True(Frobenius(Subtract(a, Multiply(Multiply(svd.U, svd.S), Transpose(svd.V)))) / (41 * Frobenius(a) * Eps) < 30);
    }
}
