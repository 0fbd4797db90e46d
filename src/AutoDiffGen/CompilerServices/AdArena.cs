using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace AutoDiffGen.CompilerServices;

/// <summary>
/// Scratch storage of the current thread for the local arrays of generated code (and their
/// tangents and adjoints): a bump allocator over chunks that are never moved, so spans stay valid
/// until released, and are kept after release, so steady-state calls allocate nothing. Each
/// allocation has an id, so reverse-mode code can tape which instance a local array was bound to.
/// </summary>
/// <remarks>For generated code; user code has no reason to call it.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class AdArena
{
    private const int MinimumChunk = 4096;

    [ThreadStatic]
    private static AdArena? s_current;

    private readonly List<double[]> _chunks = new();
    private Allocation[] _allocations = new Allocation[64];
    private int _count;
    private int _chunk;
    private int _offset;
    private double[] _zeros = Array.Empty<double>();
    private double[] _discard = Array.Empty<double>();

    /// <summary>The arena of the calling thread.</summary>
    public static AdArena Current => s_current ??= new AdArena();

    /// <summary>Number of live allocations; pass it back to <see cref="Release"/>.</summary>
    public int Mark => _count;

    /// <summary>Frees every allocation made since <paramref name="mark"/>.</summary>
    public void Release(int mark)
    {
        if (mark >= _count)
        {
            return;
        }

        var first = _allocations[mark];
        _count = mark;
        _chunk = first.Chunk;
        _offset = first.Offset;
    }

    /// <summary>A zero-filled span of <paramref name="length"/> doubles.</summary>
    /// <exception cref="OverflowException"><paramref name="length"/> is negative (as for <c>new double[length]</c>).</exception>
    public Span<double> Allocate(int length) => Allocate(length, out _);

    /// <summary>A zero-filled span of <paramref name="length"/> doubles and its allocation id.</summary>
    /// <exception cref="OverflowException"><paramref name="length"/> is negative (as for <c>new double[length]</c>).</exception>
    public Span<double> Allocate(int length, out int id)
    {
        id = Reserve(length);
        var span = Get(id);
        span.Clear();
        return span;
    }

    /// <summary>Two zero-filled spans of <paramref name="length"/> doubles (a value and its adjoint) under one id.</summary>
    /// <exception cref="OverflowException"><paramref name="length"/> is negative (as for <c>new double[length]</c>).</exception>
    public int AllocatePair(int length, out Span<double> primal, out Span<double> shadow)
    {
        var id = Reserve(checked(length * 2));
        var span = Get(id);
        span.Clear();
        primal = span.Slice(0, length);
        shadow = span.Slice(length);
        return id;
    }

    /// <summary>The span of allocation <paramref name="id"/>; id -1 gives an empty span.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Span<double> Get(int id)
    {
        if (id < 0)
        {
            return Span<double>.Empty;
        }

        var a = _allocations[id];
        return _chunks[a.Chunk].AsSpan(a.Offset, a.Length);
    }

    /// <summary>The two halves of pair allocation <paramref name="id"/>; id -1 gives empty spans.</summary>
    public void GetPair(int id, out Span<double> primal, out Span<double> shadow)
    {
        var span = Get(id);
        int half = span.Length / 2;
        primal = span.Slice(0, half);
        shadow = span.Slice(half);
    }

    /// <summary>
    /// <paramref name="length"/> zeros, shared by every caller on this thread and never written:
    /// the tangent passed for an array argument that has no derivative. Does not consume arena
    /// space, so a call inside a loop needs no more memory at the thousandth iteration than at the first.
    /// </summary>
    public ReadOnlySpan<double> Zeros(int length)
    {
        if (_zeros.Length < length)
        {
            _zeros = new double[GrownLength(_zeros.Length, length)];
        }

        return new ReadOnlySpan<double>(_zeros, 0, length);
    }

    /// <summary>
    /// A writable span of <paramref name="length"/> doubles whose contents are meaningless, shared by
    /// every caller on this thread: where a pullback accumulates the adjoint of an array argument
    /// that has no derivative. Nothing ever reads it.
    /// </summary>
    public Span<double> Discard(int length)
    {
        if (_discard.Length < length)
        {
            _discard = new double[GrownLength(_discard.Length, length)];
        }

        return new Span<double>(_discard, 0, length);
    }

    private static int GrownLength(int current, int needed) => Math.Max(needed, Math.Max(64, current <= int.MaxValue / 2 ? current * 2 : int.MaxValue));

    private int Reserve(int length)
    {
        if (length < 0)
        {
            throw new OverflowException($"Array length {length} is negative.");
        }

        while (true)
        {
            if (_chunk < _chunks.Count && _offset + length <= _chunks[_chunk].Length)
            {
                break;
            }

            if (_chunk < _chunks.Count && _offset > 0)
            {
                _chunk++;
                _offset = 0;
                continue;
            }

            if (_chunk < _chunks.Count)
            {
                // An empty chunk too small for this request: move past it.
                _chunk++;
                continue;
            }

            int previous = _chunks.Count == 0 ? MinimumChunk / 2 : _chunks[_chunks.Count - 1].Length;
            _chunks.Add(new double[Math.Max(Math.Max(length, MinimumChunk), previous * 2)]);
            _offset = 0;
        }

        if (_count == _allocations.Length)
        {
            Array.Resize(ref _allocations, _allocations.Length * 2);
        }

        _allocations[_count] = new Allocation(_chunk, _offset, length);
        _offset += length;
        return _count++;
    }

    private readonly record struct Allocation(int Chunk, int Offset, int Length);
}
