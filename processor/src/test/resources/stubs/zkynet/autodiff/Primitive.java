package zkynet.autodiff;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@link zkynet.Tensor} method as a differentiable primitive. Every primitive has, in
 * {@link Rules}, one {@link Vjp} rule per differentiable input (the receiver and each {@code Tensor}
 * parameter not marked {@link zkynet.NoGrad}). The annotation processor reads these markers at
 * compile time; a test fails when a primitive has no rule.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Primitive {}
