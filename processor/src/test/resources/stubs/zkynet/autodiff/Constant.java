package zkynet.autodiff;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@link zkynet.Tensor} method whose result carries no gradient: metadata such as
 * {@code shape()}, or a piecewise-constant function such as {@code gt(..)} or {@code argmax(..)}.
 * Operator bodies may call it on differentiable values; the result is treated as a constant.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Constant {}
