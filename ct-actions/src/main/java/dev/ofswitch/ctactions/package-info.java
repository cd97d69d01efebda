/** The ct() family of OpenFlow actions and the ct_* match fields, on top of {@code conntrack}. */
package dev.ofswitch.ctactions;
