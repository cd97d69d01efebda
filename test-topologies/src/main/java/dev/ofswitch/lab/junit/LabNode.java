package dev.ofswitch.lab.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the lab node that {@link LabExtension} injects into a parameter or field of type
 * {@link dev.ofswitch.lab.host.EmulatedHost} or {@link dev.ofswitch.ofswitch.OfSwitch}. Without it, a field's name
 * is the node's name, and so is a parameter's when the test was compiled with {@code javac -parameters}.
 *
 * <pre>
 * &#64;Test
 * void h1PingsH2(&#64;LabNode("h1") EmulatedHost client, &#64;LabNode("h2") EmulatedHost server) { ... }
 * </pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PARAMETER, ElementType.FIELD})
public @interface LabNode {
    /** The host or switch name ({@code h1}, {@code s2}). */
    String value();
}
