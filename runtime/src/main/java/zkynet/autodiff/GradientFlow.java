package zkynet.autodiff;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Written by the annotation processor on every generated {@link Differentiable#backward}: what it
 * returns for each differentiable input, in order. When the processor compiles an operator that
 * calls this one (from source in the same compilation, or from a class file), it reads this to test
 * a returned gradient for null only where that is unknown at compile time. Not for hand-written
 * code.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface GradientFlow {
  /** One entry per differentiable input, in declaration order. */
  Flow[] value();

  /** What {@code backward} returns for one input. */
  enum Flow {
    /** Always null: no gradient flows to this input. */
    NONE,
    /** Never null when the input's {@code needed} flag is true. */
    WHEN_NEEDED,
    /** May be null (a user's {@code @Derivative} may return null). */
    MAYBE
  }
}
