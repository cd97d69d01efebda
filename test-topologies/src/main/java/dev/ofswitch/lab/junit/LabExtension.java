package dev.ofswitch.lab.junit;

import dev.ofswitch.lab.Lab;
import dev.ofswitch.lab.cli.LabMain;
import dev.ofswitch.lab.host.EmulatedHost;
import dev.ofswitch.lab.topo.Topologies;
import dev.ofswitch.lab.topo.Topology;
import dev.ofswitch.lab.topo.TopologyException;
import dev.ofswitch.lab.topo.TopologyFiles;
import dev.ofswitch.ofswitch.OfSwitch;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;
import org.opentest4j.AssertionFailedError;

/**
 * The JUnit 5 extension behind {@link LabTopology}: starts a {@link Lab} before the test, fails the test if a switch
 * does not connect in time, injects the lab and its nodes, and closes the lab after the test.
 *
 * <h2>Life cycle</h2>
 * <table>
 * <caption>When the lab starts and stops</caption>
 * <tr><th>{@code @LabTopology} on</th><th>started</th><th>closed</th><th>shared by</th></tr>
 * <tr><td>the class</td><td>before {@code @BeforeAll} methods</td><td>after {@code @AfterAll} methods</td>
 * <td>every test of the class and of its {@code @Nested} classes</td></tr>
 * <tr><td>a method</td><td>before {@code @BeforeEach} methods</td><td>after {@code @AfterEach} methods</td>
 * <td>that test only (it wins over a class-level lab)</td></tr>
 * </table>
 * Starting means {@link Lab#start}, then {@link Lab#awaitConnected} for
 * {@link LabTopology#connectTimeoutSeconds()}: with the embedded controller, until every switch has its flows; with
 * remote controllers, until every switch has an OpenFlow session. If that times out the lab is closed and the test
 * fails with an {@link AssertionFailedError} saying how many switches connected to what.
 *
 * <h2>Injection</h2>
 * <ul>
 * <li>Parameters of test, lifecycle ({@code @BeforeEach}, ...) and test-class constructor methods of type
 * {@link Lab}; of type {@link EmulatedHost} or {@link OfSwitch}, the node named by {@link LabNode} or else by the
 * parameter's name (which needs {@code javac -parameters}).
 * <li>Non-final instance fields of those types, before each test (a field's name is the node's name unless
 * {@link LabNode} says otherwise); static fields of type {@link Lab} when the annotation is on the class.
 * </ul>
 * A name that is not a node of the lab fails the test with the list of the lab's nodes.
 *
 * <h2>Example</h2>
 * <pre>
 * &#64;LabTopology(value = "single,3", controller = "remote,ip=127.0.0.1,port=${ctl.port}")
 * class RemoteControllerIT {
 *     &#64;BeforeAll
 *     static void startController() { ... System.setProperty("ctl.port", ...) ... }   // runs after the lab started!
 * }
 * </pre>
 * A class-level lab starts before the class's {@code @BeforeAll} methods, so a controller started there is too late
 * for the class-level wait; put {@code @LabTopology} on the test methods instead, which start after
 * {@code @BeforeAll}.
 *
 * <h2>Thread-safety</h2> As JUnit calls it; labs of tests running in parallel are independent.
 */
public final class LabExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(LabExtension.class);
    private static final String LAB = "lab";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]+)}");

    @Override
    public void beforeAll(ExtensionContext ctx) throws Exception {
        Class<?> cls = ctx.getRequiredTestClass();
        Optional<LabTopology> ann = AnnotationSupport.findAnnotation(cls, LabTopology.class);
        if (ann.isEmpty()) {
            return;
        }
        Lab lab = start(ann.get(), ctx, cls.getSimpleName());
        ctx.getStore(NS).put(LAB, lab);
        for (Field f : ReflectionSupport.findFields(cls, f -> Modifier.isStatic(f.getModifiers())
                && !Modifier.isFinal(f.getModifiers()) && f.getType() == Lab.class, HierarchyTraversalMode.TOP_DOWN)) {
            set(f, null, lab);
        }
    }

    @Override
    public void afterAll(ExtensionContext ctx) {
        Lab lab = ctx.getStore(NS).remove(LAB, Lab.class);
        if (lab != null) {
            lab.close();
        }
    }

    @Override
    public void beforeEach(ExtensionContext ctx) throws Exception {
        Optional<LabTopology> onMethod = ctx.getTestMethod()
                .flatMap(m -> AnnotationSupport.findAnnotation(m, LabTopology.class));
        if (onMethod.isPresent()) {
            Lab lab = start(onMethod.get(), ctx, ctx.getRequiredTestMethod().getName());
            ctx.getStore(NS).put(LAB, lab);
        }
        Lab lab = nearestLab(ctx);
        if (lab == null) {
            return;
        }
        for (Object instance : ctx.getRequiredTestInstances().getAllInstances()) {
            for (Field f : ReflectionSupport.findFields(instance.getClass(), f -> !Modifier.isStatic(f.getModifiers())
                    && !Modifier.isFinal(f.getModifiers()) && injectable(f.getType()),
                    HierarchyTraversalMode.TOP_DOWN)) {
                set(f, instance, resolve(lab, f.getType(), nodeName(f, f.getName())));
            }
        }
    }

    @Override
    public void afterEach(ExtensionContext ctx) {
        Lab lab = ctx.getStore(NS).remove(LAB, Lab.class);
        if (lab != null) {
            lab.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext pc, ExtensionContext ctx) {
        return injectable(pc.getParameter().getType());
    }

    @Override
    public Object resolveParameter(ParameterContext pc, ExtensionContext ctx) {
        Lab lab = nearestLab(ctx);
        if (lab == null) {
            throw new ParameterResolutionException("no lab to inject into " + pc.getParameter() + ": the test class "
                    + "or method needs @LabTopology (or the lab has been closed already)");
        }
        Parameter p = pc.getParameter();
        String name = nodeName(p, p.isNamePresent() ? p.getName() : null);
        if (name == null && p.getType() != Lab.class) {
            throw new ParameterResolutionException("cannot tell which node to inject into " + p + " of "
                    + pc.getDeclaringExecutable() + ": annotate it with @LabNode(\"h1\") or compile with "
                    + "javac -parameters");
        }
        try {
            return resolve(lab, p.getType(), name);
        } catch (IllegalArgumentException e) {
            throw new ParameterResolutionException(e.getMessage(), e);
        }
    }

    private static boolean injectable(Class<?> type) {
        return type == Lab.class || type == EmulatedHost.class || type == OfSwitch.class;
    }

    private static String nodeName(AnnotatedElement e, String fallback) {
        LabNode n = e.getAnnotation(LabNode.class);
        return n != null ? n.value() : fallback;
    }

    private static Object resolve(Lab lab, Class<?> type, String name) {
        if (type == Lab.class) {
            return lab;
        }
        if (type == EmulatedHost.class) {
            if (!lab.hosts().containsKey(name)) {
                throw new IllegalArgumentException("the lab has no host \"" + name + "\" (hosts: "
                        + String.join(" ", lab.hosts().keySet()) + ")");
            }
            return lab.host(name);
        }
        if (!lab.switches().containsKey(name)) {
            throw new IllegalArgumentException("the lab has no switch \"" + name + "\" (switches: "
                    + String.join(" ", lab.switches().keySet()) + ")");
        }
        return lab.switchNode(name);
    }

    private static void set(Field f, Object target, Object value) throws IllegalAccessException {
        f.setAccessible(true);
        f.set(target, value);
    }

    /** The lab of this method, else of the closest class (nested classes see their enclosing class's). */
    private static Lab nearestLab(ExtensionContext ctx) {
        for (ExtensionContext c = ctx; c != null; c = c.getParent().orElse(null)) {
            Lab lab = c.getStore(NS).get(LAB, Lab.class);
            if (lab != null) {
                return lab;
            }
        }
        return null;
    }

    /** Starts the lab an annotation describes and waits for its switches; fails the test if they do not connect. */
    static Lab start(LabTopology ann, ExtensionContext ctx, String where) throws IOException, InterruptedException {
        String spec = substitute(ann.value(), ctx);
        String file = substitute(ann.file(), ctx);
        if (spec.isEmpty() == file.isEmpty()) {
            throw new ExtensionConfigurationException("@LabTopology on " + where + ": give exactly one of a spec "
                    + "(value, e.g. \"linear,3\") and a file (file = \"...json\")");
        }
        Topology topo;
        List<String> controllers;
        try {
            topo = spec.isEmpty() ? loadFile(file) : Topologies.parseSpec(spec, ann.macs());
            if (ann.macs() && !file.isEmpty()) {
                topo = topo.withAutoMacs();
            }
            topo = topo.validate();
            controllers = LabMain.parseControllers(List.of(substitute(ann.controller(), ctx)));
        } catch (TopologyException | IllegalArgumentException | UncheckedIOException e) {
            throw new ExtensionConfigurationException("@LabTopology on " + where + ": " + e.getMessage(), e);
        }
        Lab lab = Lab.start(topo, new Lab.Options().controllers(controllers).unixctl(ann.unixctl()));
        boolean connected;
        try {
            connected = lab.awaitConnected(Duration.ofSeconds(ann.connectTimeoutSeconds()));
        } catch (InterruptedException e) {
            lab.close();
            throw e;
        }
        if (!connected) {
            int n = lab.connectedSwitches();
            lab.close();
            throw new AssertionFailedError("@LabTopology " + (spec.isEmpty() ? file : spec) + " on " + where
                    + ": only " + n + " of " + topo.switches().size() + " switches connected to "
                    + (controllers.isEmpty() ? "the embedded controller (and got its flows)" : controllers)
                    + " within " + ann.connectTimeoutSeconds() + " s");
        }
        return lab;
    }

    private static Topology loadFile(String file) {
        Path p = Path.of(file);
        if (Files.isRegularFile(p)) {
            return TopologyFiles.load(p);
        }
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalArgumentException("no topology file " + p.toAbsolutePath()
                        + " and no class-path resource " + file);
            }
            return TopologyFiles.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Replaces each {@code ${name}} with the system property or JUnit configuration parameter {@code name}. */
    static String substitute(String s, ExtensionContext ctx) {
        Matcher m = PLACEHOLDER.matcher(s);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String key = m.group(1);
            String v = System.getProperty(key);
            if (v == null) {
                v = ctx.getConfigurationParameter(key).orElseThrow(() -> new ExtensionConfigurationException(
                        "@LabTopology: ${" + key + "} in \"" + s + "\" is neither a system property nor a JUnit "
                                + "configuration parameter"));
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(v));
        }
        return m.appendTail(sb).toString();
    }
}
