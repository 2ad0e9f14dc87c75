package io.tidemark.infra;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidemark.infra.ClusterProps.FunctionKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The JSON file that describes a deployment (see clusters.example.json): account, region, stack name
 * and the clusters, with the field names of {@link ClusterProps}. An unknown field is an error (a
 * misspelt threshold must not silently fall back to the default); every value goes through the
 * validating builders.
 */
final class ClustersFile {
    static final String DEFAULT_STACK_NAME = "Tidemark";
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    record Deployment(String stackName, TidemarkStackProps props) {}

    record FileJson(String account, String region, String stackName, String description, List<ClusterJson> clusters) {}

    record ClusterJson(String name, List<String> natsUrls, String natsSecretArn, String subjectPrefix, Integer shards,
                       Boolean compress, Long maxEntries, String prefix, String eventBus, Long threshold, Long emergency,
                       Double headroomRatio, Long alertPending, Integer maxSnapshotAgeHours, String buildSchedule,
                       Integer monitorRateMinutes, String verifySchedule, Map<String, SizeJson> functions,
                       Integer logRetentionDays, String alertEmail, String functionsJar, String replicaDir,
                       NetworkJson network, ReplicaJson replica) {}

    record SizeJson(Integer memoryMb, Integer timeoutSeconds, Integer ephemeralStorageMb) {}

    record NetworkJson(String vpcId, List<String> availabilityZones, List<String> subnetIds,
                       List<String> securityGroupIds, Boolean functionsInVpc) {}

    record ReplicaJson(Integer cpu, Integer memoryMb, Integer desiredCount) {}

    private ClustersFile() {}

    /**
     * @param only cluster names to keep; empty keeps all. A name not in the file is an error.
     */
    static Deployment read(Path file, Set<String> only) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no clusters file " + file.toAbsolutePath()
                    + ": copy clusters.example.json to clusters.json and edit it, or pass -c tidemark:clusters=FILE");
        }
        try {
            return parse(JSON.readValue(file.toFile(), FileJson.class), only);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + ": " + e.getOriginalMessage() + " at " + e.getLocation(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    private static Deployment parse(FileJson f, Set<String> only) {
        if (f.clusters() == null || f.clusters().isEmpty()) {
            throw new IllegalArgumentException("\"clusters\" is missing or empty");
        }
        List<ClusterProps> clusters = new ArrayList<>();
        for (ClusterJson c : f.clusters()) {
            if (only.isEmpty() || only.contains(c.name())) {
                clusters.add(cluster(c));
            }
        }
        for (String name : only) {
            if (clusters.stream().noneMatch(c -> c.name().equals(name))) {
                throw new IllegalArgumentException("cluster " + name + " (tidemark:only) is not in the file");
            }
        }
        TidemarkStackProps.Builder props = TidemarkStackProps.builder().account(f.account()).region(f.region())
                .clusters(clusters);
        set(f.description(), props::description);
        return new Deployment(f.stackName() == null ? DEFAULT_STACK_NAME : f.stackName(), props.build());
    }

    static ClusterProps cluster(ClusterJson c) {
        ClusterProps.Builder b = ClusterProps.builder(c.name());
        set(c.natsUrls(), b::natsUrls);
        set(c.natsSecretArn(), b::natsSecretArn);
        set(c.subjectPrefix(), b::subjectPrefix);
        set(c.shards(), b::shards);
        set(c.compress(), b::compress);
        set(c.maxEntries(), b::maxEntries);
        set(c.prefix(), b::prefix);
        set(c.eventBus(), b::eventBus);
        set(c.threshold(), b::threshold);
        set(c.emergency(), b::emergency);
        set(c.headroomRatio(), b::headroomRatio);
        set(c.alertPending(), b::alertPending);
        set(c.maxSnapshotAgeHours(), b::maxSnapshotAgeHours);
        set(c.buildSchedule(), b::buildSchedule);
        set(c.monitorRateMinutes(), b::monitorRateMinutes);
        set(c.verifySchedule(), b::verifySchedule);
        set(c.logRetentionDays(), b::logRetentionDays);
        set(c.alertEmail(), b::alertEmail);
        set(c.functionsJar(), b::functionsJar);
        set(c.replicaDir(), b::replicaDir);
        if (c.functions() != null) {
            c.functions().forEach((key, size) -> {
                FunctionKind kind = kind(c.name(), key);
                FunctionSize d = kind.defaultSize;
                b.function(kind, new FunctionSize(or(size.memoryMb(), d.memoryMb()),
                        or(size.timeoutSeconds(), d.timeoutSeconds()), or(size.ephemeralStorageMb(), d.ephemeralStorageMb())));
            });
        }
        if (c.network() != null) {
            NetworkJson n = c.network();
            Network.Builder nb = Network.builder().vpcId(n.vpcId());
            set(n.availabilityZones(), nb::availabilityZones);
            set(n.subnetIds(), nb::subnetIds);
            set(n.securityGroupIds(), nb::securityGroupIds);
            set(n.functionsInVpc(), nb::functionsInVpc);
            b.network(nb.build());
        }
        if (c.replica() != null) {
            ReplicaProps d = ReplicaProps.DEFAULT;
            b.replica(new ReplicaProps(or(c.replica().cpu(), d.cpu()), or(c.replica().memoryMb(), d.memoryMb()),
                    or(c.replica().desiredCount(), d.desiredCount())));
        }
        return b.build();
    }

    private static FunctionKind kind(String cluster, String key) {
        try {
            return FunctionKind.valueOf(key.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cluster " + cluster + ": functions." + key
                    + " is not one of build, monitor, verify, trigger");
        }
    }

    private static <T> void set(T value, Consumer<T> setter) {
        if (value != null) {
            setter.accept(value);
        }
    }

    private static int or(Integer v, int fallback) {
        return v == null ? fallback : v;
    }
}
