package io.teachtrack.operator.api.v1alpha1;

/** CEL snippets for string fields that hold Kubernetes quantities (Kubernetes 1.29+ quantity library). */
final class Quantities {

    static final String IS_QUANTITY = "isQuantity(self)";
    /** A transition rule: the new quantity is at least the old one (not evaluated when either fails to parse). */
    static final String NEVER_SHRINKS =
            "!isQuantity(self) || !isQuantity(oldSelf) || quantity(self).compareTo(quantity(oldSelf)) >= 0";
    static final int MAX_LENGTH = 32;

    private Quantities() {
    }
}
