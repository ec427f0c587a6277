package zkynet.bench;

import zkynet.bench.Problems.MlpProblem;

/** How one framework (or none) runs the workloads; see {@link Workload} for their definitions. */
interface Peer {
  /** W1 at {@link Problems#W1_X}, {@link Problems#W1_W}: outcome value f, arrays "x" and "w" (the gradients). */
  Step w1();

  /** W2 on {@code x}: outcome value sum(f), arrays "x" and "w" (the gradients). */
  Step w2(float[] x);

  /** W4 with {@code layers} layers on {@code x}: outcome value sum(y), array "x" (the gradient). */
  Step w4(float[] x, int layers);

  /**
   * W3 and D: one training step per run on the problem's batch; outcome value the loss computed
   * in the last step, arrays the parameters after it ("w0", "b0", ... as in {@link MlpProblem}).
   */
  Step mlp(MlpProblem p);

  /** The Adam formulation the peer implements (what its numbers are checked against). */
  default Reference.AdamForm adamForm() {
    return Reference.AdamForm.PYTORCH;
  }
}
