package dev.ofswitch.ctactions;

/**
 * A conntrack action OVS would refuse. {@link #ofperr()} names the error as OVS's {@code enum ofperr} does
 * ({@code OFPBAC_BAD_ARGUMENT}, ...), so the switch's error vocabulary can map it without this module depending on
 * it.
 */
public final class CtWireException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String ofperr;

    public CtWireException(String ofperr, String message) {
        super(message);
        this.ofperr = ofperr;
    }

    /** The OVS error name, e.g. {@code OFPBAC_BAD_ARGUMENT}. */
    public String ofperr() {
        return ofperr;
    }
}
