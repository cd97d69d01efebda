package dev.ofswitch.lab.it;

import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * An integration test class needs {@link #value() tool} on the PATH: without it the class is skipped (its tests
 * count as skipped in the failsafe report, and its {@code @BeforeAll} does not run) and a notice naming the Debian
 * package that brings the tool goes to stderr. {@code .ci/run} installs those packages. Public because the JDK
 * builds the repeatable container's proxy outside this package.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Repeatable(RequiresTool.All.class)
@ExtendWith(RequiresTool.Condition.class)
public @interface RequiresTool {
    /** The executable, e.g. {@code osken-manager}. */
    String value();

    /** The Debian package that installs it, e.g. {@code python3-os-ken}. */
    String debianPackage();

    /** The container of several {@link RequiresTool}s. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    @ExtendWith(RequiresTool.Condition.class)
    public @interface All {
        RequiresTool[] value();
    }

    /** Disables a class whose tools are missing, saying so loudly. */
    final class Condition implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext ctx) {
            if (ctx.getTestMethod().isPresent() || ctx.getTestClass().isEmpty()) {
                return ConditionEvaluationResult.enabled("checked on the class");
            }
            Class<?> cls = ctx.getRequiredTestClass();
            List<String> missing = new ArrayList<>();
            for (RequiresTool t : AnnotationSupport.findRepeatableAnnotations(cls, RequiresTool.class)) {
                if (!ExternalProcess.onPath(t.value())) {
                    missing.add(t.value() + " is not installed (apt-get install " + t.debianPackage() + ")");
                }
            }
            if (missing.isEmpty()) {
                return ConditionEvaluationResult.enabled("every tool is installed");
            }
            String msg = "SKIPPED " + cls.getSimpleName() + ": " + String.join("; ", missing);
            System.err.println("*** " + msg);
            return ConditionEvaluationResult.disabled(msg);
        }
    }
}
