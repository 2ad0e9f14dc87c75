package io.tidemark.functions;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * Request ids (Trigger's {@code http-*}, Monitor's {@code monitor-*}) from a generator that
 * {@link SnapStartHooks} replaces after a SnapStart restore: every environment restored from one
 * snapshot would otherwise share the generator's state and could hand out the same ids.
 */
final class Ids {
    private static volatile SecureRandom random = new SecureRandom();

    private Ids() {}

    /** A random (version 4) UUID as text. */
    static String next() {
        byte[] b = new byte[16];
        random.nextBytes(b);
        b[6] = (byte) ((b[6] & 0x0f) | 0x40);
        b[8] = (byte) ((b[8] & 0x3f) | 0x80);
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 8; i++) {
            hi = (hi << 8) | (b[i] & 0xff);
            lo = (lo << 8) | (b[i + 8] & 0xff);
        }
        return new UUID(hi, lo).toString();
    }

    /** A fresh generator seeded now (after a restore). */
    static void reseed() {
        random = new SecureRandom();
    }
}
