package zkynet.viz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import zkynet.DType;
import zkynet.nn.BatchNorm1d;
import zkynet.nn.Linear;
import zkynet.nn.Sequential;

/** summary(): every parameter once, by path, with shape, dtype, count and the total; buffers apart. */
class SummaryTest {
  @Test
  void nestedListsAndTheTotal() {
    VizModels.WithAffine m = new VizModels.WithAffine();
    Summary s = m.summary();
    assertEquals(List.of("stack.layers.0.inner.w", "stack.layers.1.inner.w", "affine.w", "affine.b"),
        s.rows().stream().map(Summary.Row::path).toList());
    assertArrayEquals(new int[] {64, 32}, s.rows().get(2).shape());
    assertEquals(DType.FLOAT64, s.rows().get(3).dtype());
    assertEquals(2 + 2048 + 32, s.total());
    assertEquals(m.name() + "\n"
        + "parameter               shape     dtype    count\n"
        + "stack.layers.0.inner.w  []        float32      1\n"
        + "stack.layers.1.inner.w  []        float32      1\n"
        + "affine.w                [64, 32]  float32  2,048\n"
        + "affine.b                [32]      float64     32\n"
        + "total                                      2,082\n", s.toString());
  }

  @Test
  void aSharedWeightCountsOnce() {
    Summary s = new VizModels.SharedParameter().summary();
    assertEquals(List.of("k"), s.rows().stream().map(Summary.Row::path).toList(),
        "a.k and b.k are the top's k");
    assertEquals(1, s.total());
  }

  @Test
  void buffersInASectionOfTheirOwn() {
    Sequential m = new Sequential(new Linear(new Random(1), DType.FLOAT32, 3, 4),
        new BatchNorm1d(4, DType.FLOAT32));
    Summary s = m.summary();
    assertEquals(List.of("layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias"),
        s.rows().stream().map(Summary.Row::path).toList());
    assertEquals(List.of("layers.1.running_mean", "layers.1.running_var"),
        s.buffers().stream().map(Summary.Row::path).toList());
    assertEquals(12 + 4 + 4 + 4, s.total(), "buffers are not parameters");
    assertEquals(8, s.bufferTotal());
    assertEquals(m.name() + "\n"
        + "parameter              shape   dtype    count\n"
        + "layers.0.weight        [3, 4]  float32     12\n"
        + "layers.0.bias          [4]     float32      4\n"
        + "layers.1.weight        [4]     float32      4\n"
        + "layers.1.bias          [4]     float32      4\n"
        + "total                                      24\n"
        + "buffer                 shape   dtype    count\n"
        + "layers.1.running_mean  [4]     float32      4\n"
        + "layers.1.running_var   [4]     float32      4\n"
        + "total (buffers)                             8\n", s.toString());
  }

  @Test
  void noParameters() {
    VizModels.Identity id = new VizModels.Identity();
    assertEquals(List.of(), id.summary().rows());
    assertEquals(id.name() + "\nparameter  shape  dtype  count\ntotal" + " ".repeat(24) + "0\n",
        id.summary().toString());
  }
}
