using System;
using System.IO;
using AutoDiffGen.Generator.Tests.Infrastructure;
using Xunit;
using Xunit.Sdk;

namespace AutoDiffGen.Generator.Tests;

/// <summary>The snapshot helper itself, run against a temporary directory.</summary>
public sealed class SnapshotHelperTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "adg-snapshot-" + Guid.NewGuid().ToString("N"));

    private string CallerFile => Path.Combine(_directory, "FakeTests.cs");

    private string Verified(string name) => Path.Combine(_directory, "Snapshots", name + ".verified.cs");

    private string Received(string name) => Path.Combine(_directory, "Snapshots", name + ".received.cs");

    private static bool Accepting => Environment.GetEnvironmentVariable(Snapshot.AcceptVariable) == "1";

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public void FirstDifferenceNamesTheLineAndBothTexts()
    {
        var message = Snapshot.FirstDifference("a\nb\nc", "a\nB\nc");
        Assert.Contains("line 2", message, StringComparison.Ordinal);
        Assert.Contains("verified: b", message, StringComparison.Ordinal);
        Assert.Contains("received: B", message, StringComparison.Ordinal);
        Assert.Contains("<end of file>", Snapshot.FirstDifference("a", "a\nz"), StringComparison.Ordinal);
    }

    [Fact]
    public void LineEndingsAreNormalised() => Assert.Equal("a\nb\nc\n", Snapshot.Normalize("a\r\nb\rc\r\n"));

    [Fact]
    public void AMissingSnapshotFailsAndWritesTheReceivedFileUnlessAccepting()
    {
        if (Accepting)
        {
            Snapshot.Verify("x\r\ny", "Missing", CallerFile);
            Assert.Equal("x\ny", File.ReadAllText(Verified("Missing")));
            return;
        }

        var e = Assert.Throws<XunitException>(() => Snapshot.Verify("x\r\ny", "Missing", CallerFile));
        Assert.Contains("No snapshot", e.Message, StringComparison.Ordinal);
        Assert.Equal("x\ny", File.ReadAllText(Received("Missing")));
        Assert.False(File.Exists(Verified("Missing")));
    }

    [Fact]
    public void AMismatchFailsWithTheFirstDifferenceAndWritesTheReceivedFileUnlessAccepting()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Verified("Changed"))!);
        File.WriteAllText(Verified("Changed"), "one\r\ntwo\r\n");

        // Equal up to line endings: passes, writes nothing.
        Snapshot.Verify("one\ntwo\n", "Changed", CallerFile);
        Assert.False(File.Exists(Received("Changed")));

        if (Accepting)
        {
            Snapshot.Verify("one\nthree\n", "Changed", CallerFile);
            Assert.Equal("one\nthree\n", File.ReadAllText(Verified("Changed")));
            return;
        }

        var e = Assert.Throws<XunitException>(() => Snapshot.Verify("one\nthree\n", "Changed", CallerFile));
        Assert.Contains("line 2", e.Message, StringComparison.Ordinal);
        Assert.Equal("one\nthree\n", File.ReadAllText(Received("Changed")));
        Assert.Equal("one\r\ntwo\r\n", File.ReadAllText(Verified("Changed")));

        // Once it matches again, the stale received file is removed.
        Snapshot.Verify("one\ntwo\n", "Changed", CallerFile);
        Assert.False(File.Exists(Received("Changed")));
    }
}
