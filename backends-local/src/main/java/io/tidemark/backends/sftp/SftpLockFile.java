package io.tidemark.backends.sftp;

import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.SftpATTRS;
import com.jcraft.jsch.SftpException;
import io.tidemark.core.store.StoreException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * An exclusive lock file on an SFTP server, guarding one key's compare-and-set. Created by
 * hard-linking a temporary file that holds a fresh token onto the lock name (link(2) fails when the
 * name exists, so one caller wins). A lock whose mtime is more than {@code lockStaleAfter} older than
 * the caller's own just-written temporary file (both by the server's clock) is a dead holder's; it is
 * removed if it still holds the token read a moment before. That check and the remove are two
 * steps: breaking a stale lock is safe against live holders, not against another breaker in the
 * same instant, which needs a holder dead for {@code lockStaleAfter} first.
 */
final class SftpLockFile {
    private static final int UNEXPLAINED_FAILURES = 3;

    private final ChannelSftp c;
    private final String lock;
    private final String tmpPrefix;
    private final String key;
    private final String store;
    private final SftpStoreConfig config;
    private final String token = UUID.randomUUID().toString();

    SftpLockFile(ChannelSftp c, String lock, String tmpPrefix, String key, String store, SftpStoreConfig config) {
        this.c = c;
        this.lock = lock;
        this.tmpPrefix = tmpPrefix;
        this.key = key;
        this.store = store;
        this.config = config;
    }

    void acquire() throws SftpException {
        long deadline = System.nanoTime() + config.lockWait().toNanos();
        long pause = 5;
        int unexplained = 0;
        while (true) {
            String tmp = tmpPrefix + UUID.randomUUID();
            c.put(new ByteArrayInputStream(token.getBytes(StandardCharsets.UTF_8)), tmp, ChannelSftp.OVERWRITE);
            try {
                try {
                    c.hardlink(tmp, lock);
                    return;
                } catch (SftpException e) {
                    SftpATTRS held = statOrNull(lock);
                    if (held == null) {
                        if (++unexplained >= UNEXPLAINED_FAILURES) {
                            throw e; // not a held lock: permissions, space, ...
                        }
                        continue; // released in between: try again at once
                    }
                    unexplained = 0;
                    SftpATTRS mine = c.stat(tmp);
                    long ageSeconds = (mine.getMTime() & 0xffffffffL) - (held.getMTime() & 0xffffffffL);
                    if (ageSeconds > config.lockStaleAfter().toSeconds()) {
                        breakStale();
                        continue;
                    }
                }
            } finally {
                SftpSnapshotStore.rmQuietly(c, tmp);
            }
            if (System.nanoTime() > deadline) {
                throw new StoreException("compare-and-set of " + key + " in " + store + ": its lock " + lock
                        + " stayed held for " + config.lockWait() + " (a lock older than "
                        + config.lockStaleAfter() + " is broken as stale)");
            }
            sleep(SftpSnapshotStore.jitter(pause));
            pause = Math.min(pause * 2, 100);
        }
    }

    /** Fails when the lock no longer holds our token (it was broken as stale): nothing is written then. */
    void checkStillHeld() throws SftpException {
        if (!token.equals(contentOrNull())) {
            throw new StoreException("compare-and-set of " + key + " in " + store + ": its lock " + lock
                    + " was taken over (held longer than " + config.lockStaleAfter() + "); nothing was written");
        }
    }

    void release() {
        try {
            if (token.equals(contentOrNull())) {
                c.rm(lock);
            }
        } catch (SftpException e) {
            throw new StoreException("cannot release the lock " + lock + " of " + key + " in " + store + ": "
                    + e.getMessage(), e);
        }
    }

    private void breakStale() throws SftpException {
        String holder = contentOrNull();
        if (holder != null && holder.equals(contentOrNull())) {
            SftpSnapshotStore.rmQuietly(c, lock);
        }
    }

    private String contentOrNull() throws SftpException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            c.get(lock, out);
        } catch (SftpException e) {
            if (e.id == ChannelSftp.SSH_FX_NO_SUCH_FILE) {
                return null;
            }
            throw e;
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private SftpATTRS statOrNull(String p) throws SftpException {
        try {
            return c.stat(p);
        } catch (SftpException e) {
            if (e.id == ChannelSftp.SSH_FX_NO_SUCH_FILE) {
                return null;
            }
            throw e;
        }
    }

    private void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for the lock of " + key + " in " + store, e);
        }
    }
}
