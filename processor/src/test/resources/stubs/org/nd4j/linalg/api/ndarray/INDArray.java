package org.nd4j.linalg.api.ndarray;

/**
 * Test stub of ND4J's INDArray (the processor module has no ND4J): just enough for an @Operator
 * body that calls {@code x.toINDArray().addi(1.0)} to be well-typed.
 */
public interface INDArray {
  INDArray addi(Number n);

  INDArray add(Number n);

  double getDouble(long... indices);
}
