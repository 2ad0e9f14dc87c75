package io.tidemark.backends.sftp;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import io.tidemark.core.store.StoreException;

/** Opens the SSH session an {@link SftpSnapshotStore} runs its SFTP channels on; the caller disconnects it. */
public final class SftpSessions {
    private SftpSessions() {}

    /** Connects and authenticates as the config says, checking the host key against its known_hosts. */
    public static Session connect(SftpStoreConfig config) {
        String where = config.user() + "@" + config.host() + ":" + config.port();
        try {
            JSch jsch = new JSch();
            jsch.setKnownHosts(config.knownHosts().toString());
            if (config.privateKey() != null) {
                jsch.addIdentity(config.privateKey().toString(), config.passphrase());
            }
            Session session = jsch.getSession(config.user(), config.host(), config.port());
            if (config.password() != null) {
                session.setPassword(config.password());
            }
            session.setConfig("StrictHostKeyChecking", "yes");
            session.setConfig("PreferredAuthentications", config.privateKey() != null
                    ? "publickey,password,keyboard-interactive" : "password,keyboard-interactive");
            session.setServerAliveInterval(15_000);
            session.connect((int) config.connectTimeout().toMillis());
            return session;
        } catch (JSchException e) {
            throw new StoreException("cannot open an SSH session to " + where + ": " + e.getMessage(), e);
        }
    }
}
