package zkynet;

/** Element type of a {@link zkynet.Tensor}. */
public enum DType {
  /** 32-bit float: the default, what a GPU wants. */
  FLOAT32,
  /** 64-bit float: what gradient checks want. */
  FLOAT64
}
