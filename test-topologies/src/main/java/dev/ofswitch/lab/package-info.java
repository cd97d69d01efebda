/** A Mininet-style lab: topologies, emulated hosts, the lab CLI and its JUnit integration. */
package dev.ofswitch.lab;
