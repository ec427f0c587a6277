package zkynet.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static zkynet.nn.NnTesting.F64;
import static zkynet.nn.NnTesting.assertClose;
import static zkynet.nn.NnTesting.randn;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import zkynet.Tensor;
import zkynet.autodiff.GradCheck;

/** Conv2d and the pools against direct loops, and their derived gradients against GradCheck. */
class ConvolutionTest {
  /** One random configuration; {@code h} and {@code w} are large enough for one output. */
  private record Config(int n, int c, int o, int h, int w, int kh, int kw, int[] stride,
      int[] padding, int[] dilation) {
    static Config random(Random rng, int maxPad) {
      int kh = 1 + rng.nextInt(3);
      int kw = 1 + rng.nextInt(3);
      int[] dil = {1 + rng.nextInt(2), 1 + rng.nextInt(2)};
      int[] pad = {rng.nextInt(maxPad + 1), rng.nextInt(maxPad + 1)};
      int h = Math.max(1, dil[0] * (kh - 1) + 1 - 2 * pad[0]) + rng.nextInt(3);
      int w = Math.max(1, dil[1] * (kw - 1) + 1 - 2 * pad[1]) + rng.nextInt(3);
      return new Config(1 + rng.nextInt(2), 1 + rng.nextInt(2), 1 + rng.nextInt(3), h, w, kh, kw,
          new int[] {1 + rng.nextInt(2), 1 + rng.nextInt(2)}, pad, dil);
    }

    int oh() {
      return (h + 2 * padding[0] - dilation[0] * (kh - 1) - 1) / stride[0] + 1;
    }

    int ow() {
      return (w + 2 * padding[1] - dilation[1] * (kw - 1) - 1) / stride[1] + 1;
    }

    @Override
    public String toString() {
      return "x [" + n + "," + c + "," + h + "," + w + "] k " + kh + "x" + kw + " o " + o
          + " stride " + java.util.Arrays.toString(stride) + " pad "
          + java.util.Arrays.toString(padding) + " dil " + java.util.Arrays.toString(dilation);
    }
  }

  /** What a window reduction does with the values it sees (padding included as {@code pad}). */
  private interface Reduce {
    double apply(double[] window);
  }

  /** x[n, c, i, j] with {@code outside} beyond the borders. */
  private static double at(double[] x, Config k, int n, int c, int i, int j, double outside) {
    if (i < 0 || j < 0 || i >= k.h || j >= k.w) {
      return outside;
    }
    return x[((n * k.c + c) * k.h + i) * k.w + j];
  }

  private static double[] directConv(double[] x, double[] wt, double[] b, Config k) {
    double[] y = new double[k.n * k.o * k.oh() * k.ow()];
    int idx = 0;
    for (int n = 0; n < k.n; n++) {
      for (int o = 0; o < k.o; o++) {
        for (int i = 0; i < k.oh(); i++) {
          for (int j = 0; j < k.ow(); j++) {
            double s = b == null ? 0 : b[o];
            for (int c = 0; c < k.c; c++) {
              for (int u = 0; u < k.kh; u++) {
                for (int v = 0; v < k.kw; v++) {
                  int r = i * k.stride[0] + u * k.dilation[0] - k.padding[0];
                  int q = j * k.stride[1] + v * k.dilation[1] - k.padding[1];
                  s += at(x, k, n, c, r, q, 0) * wt[((o * k.c + c) * k.kh + u) * k.kw + v];
                }
              }
            }
            y[idx++] = s;
          }
        }
      }
    }
    return y;
  }

  private static double[] directPool(double[] x, Config k, double outside, Reduce reduce) {
    double[] y = new double[k.n * k.c * k.oh() * k.ow()];
    int idx = 0;
    for (int n = 0; n < k.n; n++) {
      for (int c = 0; c < k.c; c++) {
        for (int i = 0; i < k.oh(); i++) {
          for (int j = 0; j < k.ow(); j++) {
            double[] win = new double[k.kh * k.kw];
            for (int u = 0; u < k.kh; u++) {
              for (int v = 0; v < k.kw; v++) {
                win[u * k.kw + v] = at(x, k, n, c, i * k.stride[0] + u - k.padding[0],
                    j * k.stride[1] + v - k.padding[1], outside);
              }
            }
            y[idx++] = reduce.apply(win);
          }
        }
      }
    }
    return y;
  }

  private static double max(double[] v) {
    double m = Double.NEGATIVE_INFINITY;
    for (double d : v) {
      m = Math.max(m, d);
    }
    return m;
  }

  private static double mean(double[] v) {
    double s = 0;
    for (double d : v) {
      s += d;
    }
    return s / v.length;
  }

  @Test
  void conv2dMatchesDirectLoopsOnRandomConfigurations() {
    Random rng = new Random(1);
    for (int t = 0; t < 40; t++) {
      Config k = Config.random(rng, 3);
      Tensor x = randn(rng, k.n, k.c, k.h, k.w);
      Tensor wt = randn(rng, k.o, k.c, k.kh, k.kw);
      Tensor b = randn(rng, k.o);
      int[] shape = {k.n, k.o, k.oh(), k.ow()};
      assertClose(Convolution.conv2d(x, wt, b, k.stride, k.padding, k.dilation),
          directConv(x.toDoubleArray(), wt.toDoubleArray(), b.toDoubleArray(), k), shape, 1e-12);
      assertClose(Convolution.conv2dNoBias(x, wt, k.stride, k.padding, k.dilation),
          directConv(x.toDoubleArray(), wt.toDoubleArray(), null, k), shape, 1e-12);
    }
  }

  @Test
  void conv2dGradientsPassGradCheck() {
    Random rng = new Random(2);
    for (int t = 0; t < 6; t++) {
      Config k = Config.random(rng, 2);
      GradCheck.assertGradients(in -> new ConvolutionOps.Conv2d(in[0], in[1], in[2], k.stride,
          k.padding, k.dilation), randn(rng, k.n, k.c, k.h, k.w), randn(rng, k.o, k.c, k.kh, k.kw),
          randn(rng, k.o));
    }
    // 1x1 kernel, batch 1, padding larger than needed
    int[] one = {1, 1};
    GradCheck.assertGradients(in -> new ConvolutionOps.Conv2dNoBias(in[0], in[1], one,
        new int[] {2, 1}, one), randn(rng, 1, 2, 2, 3), randn(rng, 3, 2, 1, 1));
  }

  @Test
  void poolsMatchDirectLoops() {
    Random rng = new Random(3);
    for (int t = 0; t < 40; t++) {
      Config r = Config.random(rng, 1);
      int[] kernel = {r.kh, r.kw};
      // max pooling allows padding up to half the kernel; dilation 1
      int[] pad = {Math.min(r.padding[0], r.kh / 2), Math.min(r.padding[1], r.kw / 2)};
      Config k = new Config(r.n, r.c, r.c, Math.max(r.h, r.kh), Math.max(r.w, r.kw), r.kh, r.kw,
          r.stride, pad, new int[] {1, 1});
      Tensor x = randn(rng, k.n, k.c, k.h, k.w);
      int[] shape = {k.n, k.c, k.oh(), k.ow()};
      assertClose(Convolution.maxPool2d(x, kernel, k.stride, pad),
          directPool(x.toDoubleArray(), k, Double.NEGATIVE_INFINITY, ConvolutionTest::max), shape,
          0);
      assertClose(Convolution.avgPool2d(x, kernel, k.stride, pad),
          directPool(x.toDoubleArray(), k, 0, ConvolutionTest::mean), shape, 1e-12);
    }
  }

  @Test
  void poolGradientsPassGradCheck() {
    Random rng = new Random(4);
    int[][][] cases = {
        {{2, 2}, {2, 2}, {0, 0}}, {{3, 3}, {1, 2}, {1, 1}}, {{1, 1}, {1, 1}, {0, 0}},
        {{2, 3}, {1, 1}, {1, 1}}};
    for (int[][] c : cases) {
      Tensor x = randn(rng, 1 + rng.nextInt(2), 2, 4, 5);
      GradCheck.assertGradients(in -> new ConvolutionOps.MaxPool2d(in[0], c[0], c[1], c[2]), x);
      GradCheck.assertGradients(in -> new ConvolutionOps.AvgPool2d(in[0], c[0], c[1], c[2]), x);
    }
    // average pooling with padding as large as the kernel: windows of padding alone average to 0
    GradCheck.assertGradients(in -> new ConvolutionOps.AvgPool2d(in[0], new int[] {2, 2},
        new int[] {1, 1}, new int[] {2, 2}), randn(rng, 1, 1, 2, 2));
  }

  /** Pooling by tiles (stride = kernel, no padding) equals the general windows, value and gradient. */
  @Test
  void tilePoolingMatchesTheGeneralWindows() {
    Random rng = new Random(7);
    for (int t = 0; t < 20; t++) {
      int[] k = {1 + rng.nextInt(3), 1 + rng.nextInt(3)};
      Tensor x = randn(rng, 1 + rng.nextInt(2), 1 + rng.nextInt(2), k[0] + rng.nextInt(5),
          k[1] + rng.nextInt(5));
      int[] zero = {0, 0};
      assertClose(Convolution.maxPoolTiles(x, k), Convolution.maxPool2d(x, k, k, zero)
          .toDoubleArray(), Convolution.maxPool2d(x, k, k, zero).shape(), 0);
      assertClose(Convolution.avgPoolTiles(x, k), Convolution.avgPool2d(x, k, k, zero)
          .toDoubleArray(), Convolution.avgPool2d(x, k, k, zero).shape(), 1e-12);
      if (t < 5) {
        GradCheck.assertGradients(in -> new ConvolutionOps.MaxPoolTiles(in[0], k), x);
        GradCheck.assertGradients(in -> new ConvolutionOps.AvgPoolTiles(in[0], k), x);
      }
    }
    // the layers take the tile path, and it checks shapes as the general one does
    Tensor x = randn(rng, 2, 3, 5, 4);
    assertClose(new MaxPool2d(2).apply(x).value(), Convolution.maxPool2d(x, new int[] {2, 2},
        new int[] {2, 2}, new int[] {0, 0}).toDoubleArray(), new int[] {2, 3, 2, 2}, 0);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new AvgPool2d(3).apply(randn(rng, 1, 1, 2, 4)));
    assertTrue(e.getMessage().contains("does not fit"), e.getMessage());
  }

  @Test
  void modulesNameParametersAndRunTheOperators() {
    Random rng = new Random(5);
    Conv2d conv = new Conv2d(rng, F64, 2, 3, 3);
    assertEquals(List.of("weight", "bias"), List.copyOf(conv.namedParameters().keySet()));
    double bound = 1 / Math.sqrt(2 * 9);
    for (double v : conv.param("weight").value().toDoubleArray()) {
      assertTrue(Math.abs(v) <= bound, "weight " + v + " outside +-" + bound);
    }
    Tensor x = randn(rng, 1, 2, 5, 5);
    Sequential net = new Sequential(conv, new MaxPool2d(2), new AvgPool2d(new int[] {1, 1},
        new int[] {1, 1}, new int[] {0, 0}), new Flatten());
    Tensor y = net.apply(x).value();
    Tensor expected = Convolution.maxPool2d(Convolution.conv2d(x, conv.param("weight").value(),
        conv.param("bias").value(), new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}),
        new int[] {2, 2}, new int[] {2, 2}, new int[] {0, 0});
    assertClose(y, expected.toDoubleArray(), new int[] {1, 3}, 1e-12); // 5x5 -> 3x3 -> 1x1, 3 channels
    Conv2d noBias = new Conv2d(rng, F64, 1, 1, new int[] {1, 2}, new int[] {1, 1},
        new int[] {0, 0}, new int[] {1, 1}, false);
    assertEquals(List.of("weight"), List.copyOf(noBias.namedParameters().keySet()));
    assertArrayEquals(new int[] {2, 1, 3, 2}, noBias.apply(randn(rng, 2, 1, 3, 3)).value().shape());
  }

  @Test
  void badArgumentsAreClearErrors() {
    Random rng = new Random(6);
    Conv2d conv = new Conv2d(rng, F64, 3, 2, 3);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> conv.apply(randn(rng, 1, 2, 5, 5)));
    assertTrue(e.getMessage().contains("3 channels") || e.getMessage().contains("expects 3"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> conv.apply(randn(rng, 1, 3, 2, 5)));
    assertTrue(e.getMessage().contains("does not fit"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> conv.apply(randn(rng, 3, 5, 5)));
    assertTrue(e.getMessage().contains("[N, C, H, W]"), e.getMessage());
    assertArrayEquals(new int[] {1, 2, 1, 1}, conv.apply(randn(rng, 1, 3, 3, 3)).value().shape());
    e = assertThrows(IllegalArgumentException.class, () -> new MaxPool2d(new int[] {2, 2},
        new int[] {1, 1}, new int[] {2, 0}).apply(randn(rng, 1, 1, 4, 4)));
    assertTrue(e.getMessage().contains("half the kernel"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new Conv2d(rng, F64, 1, 1,
        new int[] {1, 1}, new int[] {0, 1}, new int[] {0, 0}, new int[] {1, 1}, true));
    assertTrue(e.getMessage().contains("stride"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new AvgPool2d(0));
  }
}
