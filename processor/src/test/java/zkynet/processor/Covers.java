package zkynet.processor;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import zkynet.processor.diagnostics.Diagnostic;

/**
 * Marks a negative test with the catalogue entries it asserts. {@link DiagnosticCatalogueTest}
 * fails when an entry of {@link Diagnostic} has no test marked with it.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@interface Covers {
  Diagnostic[] value();
}
