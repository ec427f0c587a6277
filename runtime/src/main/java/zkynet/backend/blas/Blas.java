package zkynet.backend.blas;

/** The GEMM implementation zkynet uses: chosen once, at first use. */
public final class Blas {
  private Blas() {}

  private static final class Holder {
    static final Gemm GEMM = choose();
  }

  /** The chosen implementation. */
  public static Gemm gemm() {
    return Holder.GEMM;
  }

  private static Gemm choose() {
    return JavaGemm.INSTANCE;
  }
}
