using System;
using System.IO;
using System.Runtime.CompilerServices;
using Xunit.Sdk;

namespace AutoDiffGen.Generator.Tests.Infrastructure;

/// <summary>
/// Compares generated source with a checked-in <c>Snapshots/&lt;name&gt;.verified.cs</c> beside the
/// test sources. A mismatch (or a missing file) writes <c>&lt;name&gt;.received.cs</c> and fails;
/// with <c>AUTODIFFGEN_ACCEPT_SNAPSHOTS=1</c> the verified file is overwritten instead.
/// Line endings are normalised to \n before comparing and writing.
/// </summary>
internal static class Snapshot
{
    public const string AcceptVariable = "AUTODIFFGEN_ACCEPT_SNAPSHOTS";

    public static void Verify(string actual, [CallerMemberName] string name = "", [CallerFilePath] string callerFile = "")
    {
        var directory = Path.Combine(Path.GetDirectoryName(callerFile) ?? throw new InvalidOperationException("No caller file path."), "Snapshots");
        var verifiedPath = Path.Combine(directory, name + ".verified.cs");
        var receivedPath = Path.Combine(directory, name + ".received.cs");
        actual = Normalize(actual);

        if (Environment.GetEnvironmentVariable(AcceptVariable) == "1")
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(verifiedPath, actual);
            File.Delete(receivedPath);
            return;
        }

        if (!File.Exists(verifiedPath))
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(receivedPath, actual);
            throw new XunitException(
                "No snapshot " + verifiedPath + ". Wrote " + receivedPath + "; review it and rename it to .verified.cs, or run with " + AcceptVariable + "=1.");
        }

        var expected = Normalize(File.ReadAllText(verifiedPath));
        if (expected == actual)
        {
            File.Delete(receivedPath);
            return;
        }

        File.WriteAllText(receivedPath, actual);
        throw new XunitException(
            "Generated source differs from " + verifiedPath + ".\n" + FirstDifference(expected, actual) +
            "\nWrote " + receivedPath + ". If the change is intended, review it and run with " + AcceptVariable + "=1.");
    }

    internal static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\r", "\n", StringComparison.Ordinal);

    /// <summary>Describes the first line where the two texts differ (1-based).</summary>
    internal static string FirstDifference(string expected, string actual)
    {
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        for (int i = 0; i < Math.Max(e.Length, a.Length); i++)
        {
            var el = i < e.Length ? e[i] : "<end of file>";
            var al = i < a.Length ? a[i] : "<end of file>";
            if (el != al)
            {
                return "First difference at line " + (i + 1) + ":\n  verified: " + el + "\n  received: " + al;
            }
        }

        return "The texts differ only in length.";
    }
}
