using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace AutoDiffGen.CompilerServices;

/// <summary>
/// The reverse-mode tape of the current thread: two stacks (doubles, and ints for branch
/// decisions, trip counts and indices) that generated gradient code pushes during the forward
/// sweep and pops during the reverse sweep. Storage grows by doubling and is kept, so steady-state
/// calls allocate nothing. Calls between generated methods nest on the same stacks.
/// </summary>
/// <remarks>For generated code; user code has no reason to call it.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class AdTape
{
    [ThreadStatic]
    private static AdTape? s_current;

    private double[] _doubles = new double[256];
    private int[] _ints = new int[256];
    private int _doubleCount;
    private int _intCount;

    /// <summary>The tape of the calling thread.</summary>
    public static AdTape Current => s_current ??= new AdTape();

    /// <summary>The current heights of both stacks, for <see cref="Release"/>.</summary>
    public TapeMark Mark => new(_doubleCount, _intCount);

    /// <summary>Number of doubles currently on the tape.</summary>
    public int DoubleCount => _doubleCount;

    /// <summary>Number of ints currently on the tape.</summary>
    public int IntCount => _intCount;

    /// <summary>Drops everything pushed since <paramref name="mark"/> (used when a sweep ends early by an exception).</summary>
    public void Release(TapeMark mark)
    {
        _doubleCount = Math.Min(_doubleCount, mark.Doubles);
        _intCount = Math.Min(_intCount, mark.Ints);
    }

    /// <summary>Pushes a double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Push(double value)
    {
        if (_doubleCount == _doubles.Length)
        {
            Array.Resize(ref _doubles, _doubles.Length * 2);
        }

        _doubles[_doubleCount++] = value;
    }

    /// <summary>Pushes an int.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Push(int value)
    {
        if (_intCount == _ints.Length)
        {
            Array.Resize(ref _ints, _ints.Length * 2);
        }

        _ints[_intCount++] = value;
    }

    /// <summary>Pops the last double pushed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double PopDouble() => _doubles[--_doubleCount];

    /// <summary>Pops the last int pushed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int PopInt() => _ints[--_intCount];
}

/// <summary>Heights of the two stacks of an <see cref="AdTape"/>.</summary>
/// <param name="Doubles">Height of the double stack.</param>
/// <param name="Ints">Height of the int stack.</param>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly record struct TapeMark(int Doubles, int Ints);
