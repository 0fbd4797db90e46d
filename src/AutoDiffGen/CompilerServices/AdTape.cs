using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AutoDiffGen.CompilerServices;

/// <summary>
/// The reverse-mode tape of the current thread: two stacks (doubles, and ints for branch
/// decisions, trip counts and indices) that generated gradient code pushes during the forward
/// sweep and pops during the reverse sweep. Calls between generated methods nest on the same
/// stacks. Storage is kept between calls, so steady-state calls allocate nothing.
/// </summary>
/// <remarks>
/// A push never calls a method on its fast path: a method call there would make the JIT keep the
/// caller's loop variables in memory. When a stack is full the push throws
/// <see cref="TapeFullException"/>; the generated method catches it, calls <see cref="Grow"/> and
/// runs again from the start (it has no side effects), so only the first calls of a larger size
/// pay for growth.
/// </remarks>
/// <remarks>For generated code; user code has no reason to call it.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class AdTape
{
    [ThreadStatic]
    private static AdTape? s_current;

    private double[] _doubles = new double[4096];
    private int[] _ints = new int[4096];
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
        var doubles = _doubles;
        int count = _doubleCount;
        if ((uint)count >= (uint)doubles.Length)
        {
            ThrowFull();
        }

        // The check above is the bounds check: skip the JIT's second one.
        Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(doubles), count) = value;
        _doubleCount = count + 1;
    }

    /// <summary>Pushes an int.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Push(int value)
    {
        var ints = _ints;
        int count = _intCount;
        if ((uint)count >= (uint)ints.Length)
        {
            ThrowFull();
        }

        Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(ints), count) = value;
        _intCount = count + 1;
    }

    /// <summary>
    /// Drops everything pushed since <paramref name="mark"/> and doubles the capacity of any stack
    /// that is full (keeping what lies below the mark), after a push threw <see cref="TapeFullException"/>.
    /// </summary>
    public void Grow(TapeMark mark)
    {
        if (_doubleCount >= _doubles.Length)
        {
            Array.Resize(ref _doubles, checked(_doubles.Length * 2));
        }

        if (_intCount >= _ints.Length)
        {
            Array.Resize(ref _ints, checked(_ints.Length * 2));
        }

        Release(mark);
    }

    /// <summary>
    /// Makes room for <paramref name="doubles"/> more doubles and <paramref name="ints"/> more ints
    /// above the current heights, so that many pushes cannot throw. Generated code reserves before
    /// a loop whose iterations push and pop, where running the method again would be wrong.
    /// </summary>
    /// <exception cref="OverflowException">A count is negative or the room needed overflows.</exception>
    public void Reserve(int doubles, int ints)
    {
        if (doubles < 0 || ints < 0)
        {
            throw new OverflowException($"Cannot reserve {doubles} doubles and {ints} ints on the tape.");
        }

        int neededDoubles = checked(_doubleCount + doubles);
        if (neededDoubles > _doubles.Length)
        {
            Array.Resize(ref _doubles, Math.Max(neededDoubles, checked(_doubles.Length * 2)));
        }

        int neededInts = checked(_intCount + ints);
        if (neededInts > _ints.Length)
        {
            Array.Resize(ref _ints, Math.Max(neededInts, checked(_ints.Length * 2)));
        }
    }

    // Throwing from a method the JIT sees as never returning keeps the push free of calls.
    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void ThrowFull() => throw new TapeFullException();

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

/// <summary>
/// Thrown by <see cref="AdTape"/> when a stack is full; generated code catches it, grows the tape
/// and runs again. It never reaches user code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class TapeFullException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TapeFullException()
        : base("The reverse-mode tape is full; the generated method grows it and runs again.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public TapeFullException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and inner exception.</summary>
    public TapeFullException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
