package zkynet;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A hand-written vector-Jacobian product for one input of an {@link Operator} in the same class,
 * used instead of the generated one (for numerical stability, or for bodies zkynet cannot
 * differentiate). When an operator has any {@code @Derivative}, it needs one for each differentiable
 * input and its body is not differentiated.
 *
 * <p>Signature, checked at compile time: {@code static Tensor name(Tensor g, Tensor y, <the
 * operator's parameters, same types and order>)}, where {@code y} is the operator's output and
 * {@code g} its cotangent, shaped {@code batch ++ y.shape()} with any number of leading batch axes.
 * Return a contribution shaped {@code batch ++ s}, with {@code s} broadcastable to the input's shape
 * (zkynet sums broadcast axes away), or {@code null} for no gradient.
 *
 * <p>It runs in the reverse sweep, whose arrays a closed graph recycles ({@link
 * ModuleGraph#close()}): keep no tensor it computes beyond the call (no lazily filled static cache).
 * A constant it needs belongs in a static final field of this class (initialised before the sweep,
 * when the operator ran) or is computed per call.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Derivative {
  /** The operator's method name. */
  String of();

  /** The name of the differentiable parameter this derivative is for. */
  String wrt();
}
