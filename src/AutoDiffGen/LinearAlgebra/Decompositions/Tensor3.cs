using System;
using System.Globalization;

namespace AutoDiffGen.LinearAlgebra;

/// <summary>
/// A dense 3-way tensor of <see cref="double"/> with dimensions I x J x K, stored flat in row-major
/// (C) order: element (i, j, k) is at <c>Data[(i * J + j) * K + k]</c>, so the last index varies fastest.
/// </summary>
public sealed class Tensor3
{
    private readonly double[] _data;

    /// <summary>Creates a zero tensor of the given dimensions.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative.</exception>
    public Tensor3(int dimI, int dimJ, int dimK)
        : this(dimI, dimJ, dimK, new double[checked(CheckDim(dimI, nameof(dimI)) * CheckDim(dimJ, nameof(dimJ)) * CheckDim(dimK, nameof(dimK)))])
    {
    }

    /// <summary>Wraps (does not copy) a flat array in the documented (i, j, k) -&gt; (i * J + j) * K + k layout.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative.</exception>
    /// <exception cref="ArgumentException">The array length is not I * J * K (the message names the dimensions).</exception>
    public Tensor3(int dimI, int dimJ, int dimK, double[] data)
    {
        CheckDim(dimI, nameof(dimI));
        CheckDim(dimJ, nameof(dimJ));
        CheckDim(dimK, nameof(dimK));
        ArgumentNullException.ThrowIfNull(data);
        long expected = (long)dimI * dimJ * dimK;
        if (data.Length != expected)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"A {dimI} x {dimJ} x {dimK} tensor needs {expected} elements, but the array has {data.Length}."),
                nameof(data));
        }

        DimI = dimI;
        DimJ = dimJ;
        DimK = dimK;
        _data = data;
    }

    /// <summary>The first dimension I.</summary>
    public int DimI { get; }

    /// <summary>The second dimension J.</summary>
    public int DimJ { get; }

    /// <summary>The third dimension K (contiguous in storage).</summary>
    public int DimK { get; }

    /// <summary>The flat storage (length I * J * K); writes through it change the tensor.</summary>
    public Span<double> Data => _data;

    /// <summary>A string such as "3 x 4 x 5", used in error messages.</summary>
    public string ShapeText => string.Create(CultureInfo.InvariantCulture, $"{DimI} x {DimJ} x {DimK}");

    /// <summary>Element (i, j, k).</summary>
    /// <exception cref="IndexOutOfRangeException">An index is outside the tensor.</exception>
    public double this[int i, int j, int k]
    {
        get => _data[Index(i, j, k)];
        set => _data[Index(i, j, k)] = value;
    }

    /// <summary>The Frobenius norm sqrt(sum x_ijk^2), computed with scaling so it neither overflows nor underflows.</summary>
    public double FrobeniusNorm() => SpectralKernels.Norm(_data);

    /// <summary>
    /// The tensor sum_q w_q a_q o b_q o c_q built from factor matrices A (I x r), B (J x r), C (K x r)
    /// and optional weights w (length r; all ones when omitted). Element (i, j, k) is
    /// sum_q w_q A[i, q] B[j, q] C[k, q].
    /// </summary>
    /// <exception cref="ArgumentNullException">A factor is null.</exception>
    /// <exception cref="ArgumentException">The factors have different numbers of columns, or the weights a
    /// different length (the message names the shapes).</exception>
    public static Tensor3 FromFactors(Matrix a, Matrix b, Matrix c, ReadOnlySpan<double> weights = default)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(c);
        int r = a.Columns;
        if (b.Columns != r || c.Columns != r)
        {
            throw new ArgumentException($"Shape mismatch: factor matrices {a.ShapeText}, {b.ShapeText} and {c.ShapeText} must have the same number of columns.", nameof(b));
        }

        if (!weights.IsEmpty)
        {
            Guard.Length(r, weights.Length, "the weights", nameof(weights));
        }

        int ni = a.Rows, nj = b.Rows, nk = c.Rows;
        var t = new Tensor3(ni, nj, nk);

        // C^T (r x K) so each (i, j) fibre is a sum of r contiguous rows.
        Matrix ct = SpectralKernels.Transpose(c);
        ReadOnlySpan<double> ad = a.Data, bd = b.Data;
        for (int i = 0; i < ni; i++)
        {
            for (int j = 0; j < nj; j++)
            {
                Span<double> fibre = t._data.AsSpan(((i * nj) + j) * nk, nk);
                for (int q = 0; q < r; q++)
                {
                    double s = ad[(i * r) + q] * bd[(j * r) + q] * (weights.IsEmpty ? 1.0 : weights[q]);
                    if (s != 0.0)
                    {
                        SpectralKernels.Axpy(s, ct.Row(q), fibre);
                    }
                }
            }
        }

        return t;
    }

    private int Index(int i, int j, int k)
    {
        if ((uint)i >= (uint)DimI || (uint)j >= (uint)DimJ || (uint)k >= (uint)DimK)
        {
            throw new IndexOutOfRangeException(
                string.Create(CultureInfo.InvariantCulture, $"Index ({i}, {j}, {k}) is outside a {ShapeText} tensor."));
        }

        return (((i * DimJ) + j) * DimK) + k;
    }

    private static int CheckDim(int value, string name)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value, name);
        return value;
    }
}
