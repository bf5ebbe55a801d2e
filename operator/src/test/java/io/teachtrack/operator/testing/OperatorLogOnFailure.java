package io.teachtrack.operator.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

import java.util.List;
import java.util.function.Supplier;

/** Prints the end of the operator's log when a step fails: the cluster, and so the log, is gone when CI reports. */
public final class OperatorLogOnFailure implements TestWatcher {

    private static final int LINES = 120;

    private final Supplier<OperatorRelease> operator;

    public OperatorLogOnFailure(Supplier<OperatorRelease> operator) {
        this.operator = operator;
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        OperatorRelease release = operator.get();
        if (release == null) {
            return;
        }
        try {
            List<String> lines = release.log().lines().toList();
            System.out.printf("--- the operator's last %d log lines, after %s failed ---%n%s%n", LINES, context.getDisplayName(),
                    String.join("\n", lines.subList(Math.max(0, lines.size() - LINES), lines.size())));
        } catch (RuntimeException e) {
            System.out.println("--- the operator's log could not be read: " + e + " ---");
        }
    }
}
