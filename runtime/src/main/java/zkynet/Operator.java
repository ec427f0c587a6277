package zkynet;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a static tensor function whose derivative zkynet generates at compile time.
 *
 * <p>The method must be static and not private, take {@link Tensor} parameters (plus any number of
 * non-differentiated ones: {@code int}, {@code double}, arrays, or a {@code Tensor} marked
 * {@link NoGrad}), return a {@code Tensor}, and have a straight-line body of local declarations and a
 * final {@code return}, built from {@code Tensor} primitives, other {@code @Operator} methods and
 * constants. For a class {@code Foo} the processor generates {@code FooOps} with, per operator:
 * a graph-building facade {@code FooOps.name(Operand...)} returning a {@link Node}, and a class
 * {@code FooOps.Name} implementing {@link zkynet.autodiff.Differentiable} (forward plus the
 * vector-Jacobian product, derived from the body).
 *
 * <p>To supply the derivative yourself, add {@link Derivative} methods instead.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Operator {}
