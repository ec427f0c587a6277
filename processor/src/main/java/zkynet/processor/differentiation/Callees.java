package zkynet.processor.differentiation;

import java.util.List;
import zkynet.processor.differentiation.Backward.Flow;
import zkynet.processor.model.OperatorModel.OperatorStep;

/** What the reverse pass of a called operator returns for each of its inputs: see {@link Flow}. */
@FunctionalInterface
public interface Callees {
  /** Nothing known: every part a called operator returns may be null. */
  Callees UNKNOWN = step -> null;

  /**
   * Per differentiable parameter of the operator {@code step} calls (in order), the flow of its
   * reverse pass; null when unknown.
   */
  List<Flow> flows(OperatorStep step);

  /** The flow of part {@code part} of {@code step}'s reverse pass ({@link Flow#MAYBE} when unknown). */
  default Flow flow(OperatorStep step, int part) {
    List<Flow> flows = flows(step);
    return flows == null || part >= flows.size() ? Flow.MAYBE : flows.get(part);
  }
}
