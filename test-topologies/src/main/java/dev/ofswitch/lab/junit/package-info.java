/** JUnit 5 integration: {@link dev.ofswitch.lab.junit.LabTopology} starts a lab around a test and injects it. */
package dev.ofswitch.lab.junit;
