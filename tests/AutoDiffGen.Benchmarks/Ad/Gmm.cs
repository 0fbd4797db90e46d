using System;

namespace AutoDiffGen.Benchmarks.Ad;

/// <summary>
/// The Gaussian mixture model objective of the ADBench benchmark, written as an ordinary C#
/// method with loops and local arrays (definition: shared/reference/adbench-gmm.md). The
/// Wishart normalising constant K*C does not depend on the parameters and is left out.
/// </summary>
public static partial class Gmm
{
    /// <summary>Stable log-sum-exp: max(v) + log sum exp(v_i - max(v)).</summary>
    [Differentiable]
    public static double LogSumExp(ReadOnlySpan<double> v)
    {
        double m = v[0];
        for (int i = 1; i < v.Length; i++)
        {
            if (v[i] > m)
            {
                m = v[i];
            }
        }

        double s = 0;
        for (int i = 0; i < v.Length; i++)
        {
            s += Math.Exp(v[i] - m);
        }

        return m + Math.Log(s);
    }

    /// <summary>
    /// ADBench's GMM log-likelihood with Wishart prior. alphas[K], means[K*d], icf[K*d(d+1)/2] (per
    /// component: d log-diagonal entries, then the strictly lower entries of Q column by column),
    /// x[n*d] data points.
    /// </summary>
    [Differentiable]
    public static double Objective(double[] alphas, double[] means, double[] icf, [NoDerivative] double[] x, [NoDerivative] double wishartGamma, int wishartM, int d, int k)
    {
        int n = x.Length / d;
        int icfSize = d * (d + 1) / 2;

        double[] qdiags = new double[k * d];
        double[] sumQs = new double[k];
        for (int ik = 0; ik < k; ik++)
        {
            double s = 0;
            for (int j = 0; j < d; j++)
            {
                double q = icf[(ik * icfSize) + j];
                s += q;
                qdiags[(ik * d) + j] = Math.Exp(q);
            }

            sumQs[ik] = s;
        }

        double[] xcentered = new double[d];
        double[] qx = new double[d];
        double[] mainTerm = new double[k];
        double slse = 0;
        for (int ix = 0; ix < n; ix++)
        {
            for (int ik = 0; ik < k; ik++)
            {
                for (int j = 0; j < d; j++)
                {
                    xcentered[j] = x[(ix * d) + j] - means[(ik * d) + j];
                }

                for (int j = 0; j < d; j++)
                {
                    qx[j] = qdiags[(ik * d) + j] * xcentered[j];
                }

                int l = (ik * icfSize) + d;
                for (int i = 0; i < d; i++)
                {
                    for (int j = i + 1; j < d; j++)
                    {
                        qx[j] += icf[l] * xcentered[i];
                        l++;
                    }
                }

                double sq = 0;
                for (int j = 0; j < d; j++)
                {
                    sq += qx[j] * qx[j];
                }

                mainTerm[ik] = alphas[ik] + sumQs[ik] - (0.5 * sq);
            }

            slse += LogSumExp(mainTerm);
        }

        double lseAlphas = LogSumExp(alphas);

        double prior = 0;
        for (int ik = 0; ik < k; ik++)
        {
            double frobenius = 0;
            for (int j = 0; j < d; j++)
            {
                frobenius += qdiags[(ik * d) + j] * qdiags[(ik * d) + j];
            }

            for (int j = d; j < icfSize; j++)
            {
                frobenius += icf[(ik * icfSize) + j] * icf[(ik * icfSize) + j];
            }

            prior += (0.5 * wishartGamma * wishartGamma * frobenius) - (wishartM * sumQs[ik]);
        }

        double constant = -n * d * 0.5 * Math.Log(2 * Math.PI);
        return constant + slse - (n * lseAlphas) + prior;
    }

    /// <summary>Test data as ADBench prescribes: alphas, q, l and x from N(0, 1), means from U(0, 1).</summary>
    public static (double[] Alphas, double[] Means, double[] Icf, double[] X) Data(int d, int k, int n, int seed)
    {
        var random = new Random(seed);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var alphas = new double[k];
        var means = new double[k * d];
        var icf = new double[k * d * (d + 1) / 2];
        var x = new double[n * d];
        for (int i = 0; i < alphas.Length; i++) alphas[i] = Normal();
        for (int i = 0; i < means.Length; i++) means[i] = random.NextDouble();
        for (int i = 0; i < icf.Length; i++) icf[i] = Normal();
        for (int i = 0; i < x.Length; i++) x[i] = Normal();
        return (alphas, means, icf, x);
    }
}
