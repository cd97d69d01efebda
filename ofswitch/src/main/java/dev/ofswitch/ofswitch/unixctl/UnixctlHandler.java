package dev.ofswitch.ofswitch.unixctl;

import java.util.List;

/** Runs one unixctl command. */
@FunctionalInterface
public interface UnixctlHandler {
    /**
     * @param args the request's parameters (already checked against the command's argument count)
     * @return the reply text (OVS ends most with a newline; empty when there is nothing to say)
     * @throws UnixctlException with the error text to send back
     */
    String handle(List<String> args) throws UnixctlException;
}
