package zkynet;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@code Tensor} parameter of an {@link Operator} (or of a primitive) that is not
 * differentiated: a mask, one-hot labels, a constant. It receives no gradient. Parameters of other
 * types ({@code int}, {@code double}, {@code int[]}, ...) are never differentiated and need no mark.
 *
 * <p>On a parameter of a {@link Module}'s {@code call} method it marks an input that needs no
 * gradient (a data batch, labels): a reverse sweep computes nothing for it, nor for the work that
 * leads only to it (no {@code d loss / d x} matrix product in a training step), and asking for its
 * gradient is an error.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface NoGrad {}
