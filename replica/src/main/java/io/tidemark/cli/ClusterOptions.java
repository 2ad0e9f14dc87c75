package io.tidemark.cli;

import io.tidemark.backends.jetstream.NatsAuth;
import io.tidemark.backends.jetstream.NatsSecurity;
import io.tidemark.core.cluster.ClusterConfig;
import io.tidemark.replica.ConfigFile;
import io.tidemark.replica.LeaseSpec;
import io.tidemark.replica.StoreSpec;
import io.tidemark.replica.TidemarkConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** The options every command shares: a TOML file, then flags that override it. */
final class ClusterOptions {
    @Option(names = {"-c", "--config"}, description = "TOML configuration (HarmonyLite keys where they overlap)")
    Path config;

    @Option(names = "--nats-url", description = "NATS server url (repeatable); default nats://127.0.0.1:4222")
    List<String> natsUrls;

    @Option(names = "--nats-ca", description = "PEM CA bundle for NATS TLS (nats.ca_file)")
    Path natsCa;

    @Option(names = "--nats-cert", description = "PEM client certificate for NATS TLS (nats.cert_file)")
    Path natsCert;

    @Option(names = "--nats-key", description = "PKCS#8 PEM key of the client certificate (nats.key_file)")
    Path natsKey;

    @Option(names = "--nats-creds", description = "NATS .creds file: JWT and nkey seed (nats.creds_file)")
    Path natsCreds;

    @Option(names = "--nats-nkey", description = "file holding a NATS user nkey seed, SU... (nats.seed_file)")
    Path natsNkey;

    @Option(names = "--stream-prefix", description = "stream prefix; default harmonylite-changes (HarmonyLite's)")
    String streamPrefix;

    @Option(names = "--subject-prefix", description = "subject prefix; default harmonylite-change-log (HarmonyLite's)")
    String subjectPrefix;

    @Option(names = "--shards", description = "number of shards; default 1")
    Integer shards;

    @Option(names = "--compress", arity = "0..1", fallbackValue = "true",
            description = "streams are zstd-compressed (-c); default true (HarmonyLite's)")
    Boolean compress;

    @Option(names = "--time-zone", description = "the HarmonyLite nodes' time zone (their TZ), as which replayed"
            + " times are stored; default UTC")
    String timeZone;

    @Option(names = "--max-entries", description = "stream bound (max_entries); default 1024")
    Long maxEntries;

    @Option(names = "--store", description = "snapshot folder, nats (HarmonyLite's <stream-prefix>-snapshot-store),"
            + " nats:BUCKET, s3://BUCKET/PREFIX, sftp://USER:PASS@HOST:PORT/PATH or a WebDAV"
            + " http(s)://HOST/?dir=/PATH&login=U&secret=P; default ./tidemark-snapshots")
    String store;

    @Option(names = "--lease-table", description = "DynamoDB lease table (instead of HarmonyLite's NATS KV lease)")
    String leaseTable;

    @Option(names = "--lease", description = "lease: nats (HarmonyLite's snapshot-leader in e-harmonylite),"
            + " nats:BUCKET, or a folder; default: the folder store's .leases, else nats")
    String lease;

    @Option(names = "--s3-endpoint", description = "S3 endpoint override (emulators)")
    String s3Endpoint;

    @Option(names = "--dynamodb-endpoint", description = "DynamoDB endpoint override (emulators)")
    String dynamoDbEndpoint;

    @Option(names = "--db-path", description = "replica database (db_path); default ./tidemark-replica.db")
    Path db;

    @Option(names = "--work-dir", description = "scratch folder for builds")
    Path workDir;

    TidemarkConfig resolve() {
        TidemarkConfig.Builder b = TidemarkConfig.builder();
        if (config != null) {
            if (!Files.isRegularFile(config)) {
                throw new IllegalArgumentException("config file " + config + " does not exist");
            }
            ConfigFile.apply(config, b);
        }
        ClusterConfig c = b.cluster();
        c = c.withPrefixes(streamPrefix != null ? streamPrefix : c.streamPrefix(),
                subjectPrefix != null ? subjectPrefix : c.subjectPrefix());
        if (shards != null) {
            c = c.withShards(shards);
        }
        if (compress != null) {
            c = c.withCompressed(compress);
        }
        if (maxEntries != null) {
            c = c.withMaxEntries(maxEntries);
        }
        if (timeZone != null) {
            c = c.withTimeZone(io.tidemark.replica.ConfigFile.zone(timeZone));
        }
        b.cluster(c);
        if (natsUrls != null) {
            b.natsUrls(natsUrls);
        }
        // The file, then TIDEMARK_NATS_* (an ECS secret, say; never logged), then flags.
        b.natsSecurity(b.natsSecurity().overlaidWith(NatsSecurity.fromEnvironment(System.getenv()))
                .overlaidWith(new NatsSecurity(natsCa, natsCert, natsKey, NatsAuth.exactlyOne(
                        natsCreds == null ? null : new NatsAuth.CredsFile(natsCreds, "--nats-creds"),
                        natsNkey == null ? null : new NatsAuth.NkeySeedFile(natsNkey, "--nats-nkey")))));
        if (store != null && store.startsWith("s3://")) {
            b.s3(store, s3Endpoint);
        } else if ("nats".equals(store)) {
            b.natsBucket(StoreSpec.defaultNatsBucket(c.streamPrefix()));
        } else if (store != null && store.startsWith("sftp://")) {
            b.store(new StoreSpec.Sftp(store));
        } else if (store != null && store.matches("https?://.*")) {
            b.store(new StoreSpec.WebDav(store));
        } else if (store != null && store.startsWith("nats:")) {
            b.natsBucket(store.substring("nats:".length()));
        } else if (store != null) {
            b.storeDir(Path.of(store));
        }
        if (lease != null) {
            b.lease(lease.equals("nats") ? new LeaseSpec.NatsKv(LeaseSpec.HARMONYLITE_BUCKET)
                    : lease.startsWith("nats:") ? new LeaseSpec.NatsKv(lease.substring("nats:".length()))
                    : new LeaseSpec.Folder(Path.of(lease)));
        }
        if (leaseTable != null) {
            b.leaseTable(leaseTable, dynamoDbEndpoint);
        }
        if (db != null) {
            b.dbPath(db);
        }
        if (workDir != null) {
            b.workDir(workDir);
        }
        return b.build();
    }
}
