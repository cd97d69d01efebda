package dev.ofswitch.lab.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test inside a lab: {@link LabExtension} starts the topology before the test, waits until every switch is
 * connected to its controller, injects the {@link dev.ofswitch.lab.Lab} (and its hosts and switches by name) and
 * stops everything afterwards.
 *
 * <pre>
 * &#64;LabTopology("linear,3")                      // one lab for the whole class
 * class LinearTest {
 *     &#64;Test
 *     void pingAll(Lab lab) {
 *         assertEquals(6, lab.pingAll(List.of("h1", "h2", "h3"), 2000).received());
 *     }
 *
 *     &#64;Test
 *     &#64;LabTopology(file = "topologies/tree22.json")   // this test gets its own lab
 *     void h1ReachesH4(EmulatedHost h1, EmulatedHost h4) throws Exception {
 *         assertEquals(1, h1.ping(h4.ip(), 1).get().received());
 *     }
 * }
 * </pre>
 *
 * <p>On a class, one lab serves every test of the class (and of its {@code @Nested} classes); on a method, the
 * method gets a lab of its own, which wins over the class's. Exactly one of {@link #value} and {@link #file} must be
 * given. Every attribute may contain {@code ${name}}, replaced by the system property or JUnit configuration
 * parameter {@code name}: a test that starts its own controller on a free port in {@code @BeforeAll} says
 * {@code controller = "remote,port=${osken.port}"}.
 *
 * @see LabExtension
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(LabExtension.class)
public @interface LabTopology {
    /**
     * A built-in topology as {@code bin/lab --topo} takes it: {@code minimal}, {@code single,3}, {@code linear,4},
     * {@code tree,2,2}, ... ({@link dev.ofswitch.lab.topo.Topologies#parseSpec}).
     */
    String value() default "";

    /**
     * A JSON topology file ({@link dev.ofswitch.lab.topo.TopologyFiles}): a path, relative to the working
     * directory, or else a class-path resource (the module ships {@code topologies/*.json}).
     */
    String file() default "";

    /**
     * {@code embedded} (the default: the lab's stateful firewall controller) or {@code remote[,ip=IP][,port=PORT]}
     * ({@code 127.0.0.1:6653} by default), as {@code bin/lab --controller}.
     */
    String controller() default "embedded";

    /** How long to wait for every switch to be connected before failing the test. */
    int connectTimeoutSeconds() default 30;

    /**
     * Whether switches answer {@code ovs-appctl -t RUNDIR/S.ctl} and {@code ovs-ofctl ... unix:RUNDIR/S.mgmt}
     * ({@link dev.ofswitch.lab.Lab#runDir()}).
     */
    boolean unixctl() default true;

    /** Mininet's {@code --mac}: host MAC addresses {@code 00:00:00:00:00:0N} from host numbers. */
    boolean macs() default false;
}
