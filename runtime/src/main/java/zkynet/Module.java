package zkynet;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a model class. Import it as {@code import zkynet.Module;} (a single-type import): under
 * {@code import zkynet.*;} the name clashes with {@code java.lang.Module}.
 *
 * <p>A module class {@code Foo} extends the generated {@code Zk_Foo} (which extends
 * {@link ModuleBase}), declares its parameters as {@code final Parameter} fields and its sub-modules
 * as final fields (or {@code final List<...>} fields), and has one forward method {@code Node call(Node
 * ...)} that composes operators and sub-modules. The processor generates {@code Zk_Foo} with the
 * module's inputs (named after {@code call}'s parameters), its parameters and sub-modules (named
 * after the fields), and typed entry points: {@code apply(Object...)} at top level returns a
 * {@link ModuleGraph} (inside another module's forward pass, raw values become constants of that
 * call and the result stands for its root); {@code apply(Operand...)} inside another module's
 * forward pass (nodes, parameters, constants) returns a {@link Node} of the same graph; {@code
 * infer(Object...)} returns the value alone, without a graph.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Module {}
