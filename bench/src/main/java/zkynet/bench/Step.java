package zkynet.bench;

/** One workload set up on one peer, ready to run again and again. */
interface Step {
  /** Runs the workload once; returns a number from its result, so that nothing is optimised away. */
  double run();

  /**
   * The result of the last {@link #run()}, for the check (never timed). Where results do not
   * outlive a run, a stateless workload (W1, W2, W4) may run once more to copy them out.
   */
  Outcome outcome();
}
