package zkynet.train;

/** QR decomposition by Householder reflections, for {@link Init#orthogonal}. */
final class Householder {
  private Householder() {}

  /**
   * The thin Q {@code [m, n]} of {@code a = Q R} ({@code m >= n}), each column j multiplied by the
   * sign of {@code R[j][j]} (so that R's diagonal would be non-negative). {@code a} is overwritten.
   */
  static double[][] signCorrectedQ(double[][] a) {
    int m = a.length;
    int n = a[0].length;
    double[][] v = new double[n][];
    double[] sign = new double[n];
    for (int k = 0; k < n; k++) {
      double norm = 0;
      for (int i = k; i < m; i++) {
        norm += a[i][k] * a[i][k];
      }
      norm = Math.sqrt(norm);
      // H = I - 2 v v^T / (v^T v) with v = x + sign(x0) |x| e0 maps x to -sign(x0) |x| e0.
      double alpha = a[k][k] >= 0 ? -norm : norm;
      sign[k] = alpha >= 0 ? 1 : -1;
      double[] vk = new double[m - k];
      for (int i = k; i < m; i++) {
        vk[i - k] = a[i][k];
      }
      vk[0] -= alpha;
      double vv = 0;
      for (double x : vk) {
        vv += x * x;
      }
      v[k] = vv == 0 ? null : vk;
      if (vv != 0) {
        for (int j = k; j < n; j++) {
          reflect(vk, vv, k, a, j);
        }
      }
    }
    // Q = H_0 H_1 ... H_{n-1} applied to the first n columns of the identity.
    double[][] q = new double[m][n];
    for (int j = 0; j < n; j++) {
      q[j][j] = 1;
    }
    for (int k = n - 1; k >= 0; k--) {
      double[] vk = v[k];
      if (vk == null) {
        continue;
      }
      double vv = 0;
      for (double x : vk) {
        vv += x * x;
      }
      for (int j = 0; j < n; j++) {
        reflect(vk, vv, k, q, j);
      }
    }
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        q[i][j] *= sign[j];
      }
    }
    return q;
  }

  /** Column j of {@code m}, rows k.., times {@code H = I - 2 v v^T / vv}. */
  private static void reflect(double[] v, double vv, int k, double[][] m, int j) {
    double dot = 0;
    for (int i = k; i < m.length; i++) {
      dot += v[i - k] * m[i][j];
    }
    double f = 2 * dot / vv;
    for (int i = k; i < m.length; i++) {
      m[i][j] -= f * v[i - k];
    }
  }
}
