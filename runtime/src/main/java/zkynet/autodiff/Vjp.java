package zkynet.autodiff;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a reverse-mode rule in {@link Rules}: the vector-Jacobian product of primitive {@link #op()}
 * with respect to its input {@link #wrt()} ({@code "self"} for the receiver, otherwise the primitive's
 * parameter name).
 *
 * <p>A rule's signature is {@code static Tensor name(Tensor g, Tensor y, Tensor self, <the primitive's
 * parameters>)}: {@code g} is the cotangent of the output {@code y}, shaped {@code batch ++ y.shape()}
 * with any number of leading batch axes. The rule returns a contribution shaped {@code batch ++ s}
 * where {@code s} broadcasts to the input's shape ({@link Grad#unbroadcast} reduces it, centrally);
 * only a rule marked {@link #noGradient()} returns {@code null}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Vjp {
  /** The primitive's method name on {@link zkynet.Tensor}. */
  String op();

  /** The input: {@code "self"} (the receiver) or the name of a {@code Tensor} parameter. */
  String wrt();

  /**
   * True when no gradient ever flows to the input ({@code stopGradient}): the rule returns
   * {@code null}, and the processor, knowing it at compile time, neither calls it nor gives the
   * paths that lead only there an adjoint. Every other rule returns a tensor, never {@code null}.
   */
  boolean noGradient() default false;
}
