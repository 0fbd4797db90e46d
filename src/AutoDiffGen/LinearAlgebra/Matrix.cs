using System;
using System.Globalization;

namespace AutoDiffGen.LinearAlgebra;

/// <summary>
/// A dense, row-major matrix of <see cref="double"/>: element (i, j) is stored at
/// <c>Data[i * Columns + j]</c>. Shapes are checked by every operation that combines matrices.
/// </summary>
public sealed partial class Matrix
{
    private readonly double[] _data;

    /// <summary>Creates a zero matrix of the given shape.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative.</exception>
    public Matrix(int rows, int columns)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        Rows = rows;
        Columns = columns;
        _data = new double[checked(rows * columns)];
    }

    /// <summary>Wraps (does not copy) a row-major array of length <paramref name="rows"/> * <paramref name="columns"/>.</summary>
    /// <exception cref="ArgumentException">The array length does not equal rows * columns.</exception>
    public Matrix(int rows, int columns, double[] data)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        ArgumentNullException.ThrowIfNull(data);
        if (data.Length != checked(rows * columns))
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"A {rows} x {columns} matrix needs {rows * columns} elements, but the array has {data.Length}."),
                nameof(data));
        }

        Rows = rows;
        Columns = columns;
        _data = data;
    }

    /// <summary>Number of rows.</summary>
    public int Rows { get; }

    /// <summary>Number of columns.</summary>
    public int Columns { get; }

    /// <summary>True when <see cref="Rows"/> equals <see cref="Columns"/>.</summary>
    public bool IsSquare => Rows == Columns;

    /// <summary>The row-major storage (length Rows * Columns); writes through it change the matrix.</summary>
    public Span<double> Data => _data;

    /// <summary>Element (row, column).</summary>
    /// <exception cref="IndexOutOfRangeException">An index is outside the matrix.</exception>
    public double this[int row, int column]
    {
        get
        {
            CheckIndex(row, column);
            return _data[(row * Columns) + column];
        }
        set
        {
            CheckIndex(row, column);
            _data[(row * Columns) + column] = value;
        }
    }

    /// <summary>The elements of one row, as a span over the storage.</summary>
    public Span<double> Row(int row)
    {
        if ((uint)row >= (uint)Rows)
        {
            throw new ArgumentOutOfRangeException(nameof(row), row, $"Row index must be in [0, {Rows}).");
        }

        return _data.AsSpan(row * Columns, Columns);
    }

    /// <summary>The n x n identity matrix.</summary>
    public static Matrix Identity(int n)
    {
        var m = new Matrix(n, n);
        for (int i = 0; i < n; i++)
        {
            m._data[(i * n) + i] = 1.0;
        }

        return m;
    }

    /// <summary>Creates a matrix from a rectangular 2-D array, copying it.</summary>
    public static Matrix FromArray(double[,] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        int rows = values.GetLength(0), columns = values.GetLength(1);
        var m = new Matrix(rows, columns);
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < columns; j++)
            {
                m._data[(i * columns) + j] = values[i, j];
            }
        }

        return m;
    }

    /// <summary>A deep copy.</summary>
    public Matrix Clone() => new(Rows, Columns, (double[])_data.Clone());

    /// <summary>A string such as "3 x 4", used in error messages.</summary>
    public string ShapeText => string.Create(CultureInfo.InvariantCulture, $"{Rows} x {Columns}");

    private void CheckIndex(int row, int column)
    {
        if ((uint)row >= (uint)Rows || (uint)column >= (uint)Columns)
        {
            throw new IndexOutOfRangeException(
                string.Create(CultureInfo.InvariantCulture, $"Index ({row}, {column}) is outside a {Rows} x {Columns} matrix."));
        }
    }
}
