package io.tidemark.backends.sftp;

import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.SftpException;
import io.tidemark.core.store.ObjectExistsException;
import io.tidemark.core.store.ObjectNotFoundException;
import io.tidemark.core.store.PreconditionFailedException;
import io.tidemark.core.store.StoreException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;

/**
 * SFTP channels on one SSH session, lent one per operation: a {@link ChannelSftp} serves one thread
 * at a time. Idle channels are kept for reuse; a channel that saw an unexpected failure is closed,
 * not lent again. The server caps channels per session (OpenSSH: {@code MaxSessions}, default 10),
 * so at most {@code max} are open at once; a caller beyond that waits for one to come back.
 */
final class SftpChannels implements AutoCloseable {
    interface Call<T> {
        T run(ChannelSftp c) throws SftpException;
    }

    private final Session session;
    private final String store;
    private final ConcurrentLinkedQueue<ChannelSftp> idle = new ConcurrentLinkedQueue<>();
    private final Semaphore permits;

    SftpChannels(Session session, String store, int max) {
        this.session = session;
        this.store = store;
        this.permits = new Semaphore(max, true);
    }

    <T> T run(String key, String what, Call<T> call) {
        ChannelSftp c = borrow(key);
        boolean reusable = false;
        try {
            T result = call.run(c);
            reusable = true;
            return result;
        } catch (ObjectExistsException | PreconditionFailedException | ObjectNotFoundException expected) {
            reusable = true;
            throw expected;
        } catch (SftpException e) {
            throw failure(what, key, e);
        } finally {
            if (reusable) {
                giveBack(c);
            } else {
                discard(c);
            }
        }
    }

    /** A channel for this caller alone; hand it to {@link #giveBack} or {@link #discard} exactly once. */
    ChannelSftp borrow(String key) {
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for an SFTP channel to " + store + " for " + key, e);
        }
        for (ChannelSftp c; (c = idle.poll()) != null; ) {
            if (c.isConnected()) {
                return c;
            }
        }
        try {
            ChannelSftp c = (ChannelSftp) session.openChannel("sftp");
            c.connect(15_000);
            return c;
        } catch (JSchException e) {
            permits.release();
            throw new StoreException("cannot open an SFTP channel to " + store + " for " + key + ": "
                    + e.getMessage(), e);
        }
    }

    void giveBack(ChannelSftp c) {
        if (c.isConnected()) {
            idle.offer(c);
        }
        permits.release();
    }

    void discard(ChannelSftp c) {
        c.disconnect();
        permits.release();
    }

    StoreException failure(String what, String key, SftpException e) {
        return new StoreException("cannot " + what + " " + key + " in " + store + ": " + e.getMessage()
                + " (SFTP status " + e.id + ")", e);
    }

    @Override
    public void close() {
        for (ChannelSftp c; (c = idle.poll()) != null; ) {
            c.disconnect();
        }
    }
}
