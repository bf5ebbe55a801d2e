package io.teachtrack.operator.dependent.credentials;

import io.teachtrack.operator.model.CredentialGenerator;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Credentials whose RSA key pairs are made ahead, on a background thread: a 2048-bit pair costs a core a tenth of a
 * second or more, which a new TeachTrack's Secret, and every child that waits for the Secret, would otherwise wait
 * for. Each pair is handed out once; when none is ready the caller makes its own, as before.
 */
final class PreparedKeyPairs extends CredentialGenerator {

    /** A few TeachTracks applied together find their pairs ready. */
    static final int KEPT = 4;

    private final BlockingQueue<PemKeyPair> ready = new ArrayBlockingQueue<>(KEPT);
    private final AtomicBoolean making = new AtomicBoolean();
    private final ExecutorService maker = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().name("jwt-key-pairs").factory());

    PreparedKeyPairs() {
        refill();
    }

    @Override
    public PemKeyPair rsaKeyPair() {
        PemKeyPair pair = ready.poll();
        refill();
        return pair != null ? pair : super.rsaKeyPair();
    }

    /** How many pairs are ready now. */
    int prepared() {
        return ready.size();
    }

    private void refill() {
        if (!making.compareAndSet(false, true)) {
            return;
        }
        maker.execute(() -> {
            try {
                while (ready.remainingCapacity() > 0) {
                    ready.offer(super.rsaKeyPair());
                }
            } finally {
                making.set(false);
            }
            if (ready.remainingCapacity() > 0) {
                refill(); // a pair was taken while this round was finishing
            }
        });
    }
}
