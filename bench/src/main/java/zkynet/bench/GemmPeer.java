package zkynet.bench;

import java.nio.FloatBuffer;
import zkynet.bench.Problems.MlpProblem;

/**
 * Peer (c), W3 only: the GEMM-only limit, just the 8 matrix products a step of W3's MLP needs,
 * through {@link Blas} on W3's shapes. It chains them as {@link Reference#gemmChain} describes
 * (identity activations, the logits as their own gradient, no update), which is what its check
 * compares.
 */
final class GemmPeer {
  private GemmPeer() {}

  static Step w3(MlpProblem p) {
    if (p.layers() != 3) {
      throw new IllegalArgumentException("the GEMM chain is written for 3 layers");
    }
    int n = p.batch();
    int[] s = p.sizes();
    FloatBuffer x = Blas.of(p.x());
    FloatBuffer[] w = {Blas.of(p.w()[0]), Blas.of(p.w()[1]), Blas.of(p.w()[2])};
    FloatBuffer z1 = Blas.allocate(n * s[1]);
    FloatBuffer z2 = Blas.allocate(n * s[2]);
    FloatBuffer z3 = Blas.allocate(n * s[3]);
    FloatBuffer d2 = Blas.allocate(n * s[2]);
    FloatBuffer d1 = Blas.allocate(n * s[1]);
    FloatBuffer dw0 = Blas.allocate(s[0] * s[1]);
    FloatBuffer dw1 = Blas.allocate(s[1] * s[2]);
    FloatBuffer dw2 = Blas.allocate(s[2] * s[3]);
    return new Step() {
      @Override
      public double run() {
        Blas.gemm(false, false, n, s[1], s[0], x, w[0], z1);
        Blas.gemm(false, false, n, s[2], s[1], z1, w[1], z2);
        Blas.gemm(false, false, n, s[3], s[2], z2, w[2], z3);
        Blas.gemm(true, false, s[2], s[3], n, z2, z3, dw2);
        Blas.gemm(false, true, n, s[2], s[3], z3, w[2], d2);
        Blas.gemm(true, false, s[1], s[2], n, z1, d2, dw1);
        Blas.gemm(false, true, n, s[1], s[2], d2, w[1], d1);
        Blas.gemm(true, false, s[0], s[1], n, x, d1, dw0);
        return dw0.get(0);
      }

      @Override
      public Outcome outcome() {
        return new Outcome(Double.NaN).with("z1", Blas.toArray(z1)).with("z2", Blas.toArray(z2))
            .with("z3", Blas.toArray(z3)).with("dw2", Blas.toArray(dw2)).with("d2", Blas.toArray(d2))
            .with("dw1", Blas.toArray(dw1)).with("d1", Blas.toArray(d1)).with("dw0", Blas.toArray(dw0));
      }
    };
  }
}
