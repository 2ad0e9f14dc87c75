package io.tidemark.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.infra.ClusterProps.FunctionKind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The props builders: defaults as documented, and every bad value rejected at synth, naming the field. */
class ClusterPropsTest {

    @Test
    void defaults_areTheDocumentedOnes() {
        ClusterProps p = ClusterProps.builder("harmonylite").build();
        assertThat(p.threshold()).isEqualTo(5_000);
        assertThat(p.emergency()).isEqualTo(8_000);
        assertThat(p.headroomRatio()).isEqualTo(0.5);
        assertThat(p.alertPending()).isEqualTo(7_000);
        assertThat(p.maxSnapshotAgeHours()).isEqualTo(48);
        assertThat(p.buildSchedule()).isEqualTo("cron(0 2 * * ? *)");
        assertThat(p.monitorRateMinutes()).isEqualTo(5);
        assertThat(p.verifySchedule()).isEqualTo("cron(0 4 * * ? *)");
        assertThat(p.prefix()).isEqualTo("harmonylite");
        assertThat(p.subjectPrefix()).isEqualTo("harmonylite-change-log");
        assertThat(p.eventBus()).isEqualTo("default");
        assertThat(p.shards()).isEqualTo(1);
        assertThat(p.compress()).isTrue();
        assertThat(p.maxEntries()).isEqualTo(1024);
        assertThat(p.logRetentionDays()).isEqualTo(30);
        assertThat(p.functionsJar()).isEqualTo("../functions/target/tidemark-functions.jar");
        assertThat(p.replicaDir()).isEqualTo("../replica");
        assertThat(p.size(FunctionKind.BUILD)).isEqualTo(new FunctionSize(2048, 900, 512));
        assertThat(p.size(FunctionKind.TRIGGER)).isEqualTo(new FunctionSize(1024, 30, 512));
        assertThat(p.replica()).isEqualTo(new ReplicaProps(1024, 2048, 1));
        assertThat(p.network()).isNull();
        assertThat(p.natsSecretArn()).isNull();
        assertThat(p.alertEmail()).isNull();
    }

    @Test
    void badValues_areRejectedNamingTheClusterAndField() {
        assertThatThrownBy(() -> ClusterProps.builder("bad name!")).hasMessageContaining("cluster name");
        assertThatThrownBy(() -> ClusterProps.builder("c").threshold(9000).emergency(8000).build())
                .hasMessage("cluster c: emergency (8000) must be at least threshold (9000)");
        assertThatThrownBy(() -> ClusterProps.builder("c").headroomRatio(0)).hasMessageContaining("headroomRatio");
        assertThatThrownBy(() -> ClusterProps.builder("c").headroomRatio(1.5)).hasMessageContaining("headroomRatio");
        assertThatThrownBy(() -> ClusterProps.builder("c").buildSchedule("daily")).hasMessageContaining("buildSchedule");
        assertThatThrownBy(() -> ClusterProps.builder("c").verifySchedule("cron(0 4 * *)"))
                .hasMessageContaining("verifySchedule");
        assertThatThrownBy(() -> ClusterProps.builder("c").monitorRateMinutes(0)).hasMessageContaining("1-60");
        assertThatThrownBy(() -> ClusterProps.builder("c").natsUrls(List.of("http://n:4222")))
                .hasMessageContaining("natsUrls");
        assertThatThrownBy(() -> ClusterProps.builder("c").natsUrls(List.of())).hasMessageContaining("natsUrls");
        assertThatThrownBy(() -> ClusterProps.builder("c")
                .natsSecretArn("arn:aws:secretsmanager:us-east-1:123456789012:secret:nats"))
                .hasMessageContaining("complete secret ARN");
        assertThatThrownBy(() -> ClusterProps.builder("c").logRetentionDays(4)).hasMessageContaining("logRetentionDays 4");
        assertThatThrownBy(() -> ClusterProps.builder("c").prefix("/a/")).hasMessageContaining("prefix");
        assertThatThrownBy(() -> ClusterProps.builder("c").alertEmail("oncall")).hasMessageContaining("alertEmail");
        assertThatThrownBy(() -> ClusterProps.builder("c").shards(0)).hasMessage("cluster c: shards must be positive, got 0");
    }

    @Test
    void functionSize_staysInLambdasBounds_andSnapStartNeedsDefaultTmp() {
        assertThatThrownBy(() -> new FunctionSize(2048, 901, 512)).hasMessageContaining("timeoutSeconds");
        assertThatThrownBy(() -> new FunctionSize(64, 60, 512)).hasMessageContaining("memoryMb");
        assertThatThrownBy(() -> new FunctionSize(1024, 60, 20_000)).hasMessageContaining("ephemeralStorageMb");
        assertThat(new FunctionSize(1024, 60, 512).snapStart()).isTrue();
        assertThat(new FunctionSize(1024, 60, 513).snapStart()).isFalse();
    }

    @Test
    void buildAndVerify_needTheBuildersMemory_theOthersDoNot() {
        assertThatThrownBy(() -> ClusterProps.builder("c").function(ClusterProps.FunctionKind.BUILD,
                new FunctionSize(256, 900, 512)).build())
                .hasMessageContaining("cluster c: functions.build.memoryMb is 256, below the 512 MB");
        assertThatThrownBy(() -> ClusterProps.builder("c").function(ClusterProps.FunctionKind.VERIFY,
                new FunctionSize(511, 900, 512)).build()).hasMessageContaining("functions.verify.memoryMb is 511");
        ClusterProps p = ClusterProps.builder("c").function(ClusterProps.FunctionKind.BUILD, new FunctionSize(512, 900, 512))
                .function(ClusterProps.FunctionKind.MONITOR, new FunctionSize(256, 60, 512)).build();
        assertThat(p.size(ClusterProps.FunctionKind.BUILD).memoryMb()).isEqualTo(512);
        assertThat(p.size(ClusterProps.FunctionKind.MONITOR).memoryMb()).isEqualTo(256);
    }

    @Test
    void replicaProps_acceptOnlyFargateSizes() {
        // Each size's lowest and highest memory are offered; one step past either end is not.
        assertThatCode(() -> new ReplicaProps(256, 512, 1)).doesNotThrowAnyException();
        assertThatCode(() -> new ReplicaProps(4096, 30720, 0)).doesNotThrowAnyException();
        assertThatThrownBy(() -> new ReplicaProps(256, 2560, 1)).hasMessageContaining("allows 512-2048");
        assertThatThrownBy(() -> new ReplicaProps(4096, 7168, 1)).hasMessageContaining("allows 8192-30720");
        assertThatThrownBy(() -> new ReplicaProps(2048, 4500, 1)).hasMessageContaining("in steps of 1024");
        assertThatThrownBy(() -> new ReplicaProps(300, 1024, 1)).hasMessageContaining("cpu must be one of");
        assertThatThrownBy(() -> new ReplicaProps(1024, 1024, 1)).hasMessageContaining("not offered with cpu 1024");
        assertThatThrownBy(() -> new ReplicaProps(512, 1024, -1)).hasMessageContaining("desiredCount");
    }

    @Test
    void network_namesItsVpcOneWay_withWellFormedIds() {
        assertThatThrownBy(() -> Network.builder().build()).hasMessageContaining("exactly one of vpc and vpcId");
        assertThatThrownBy(() -> Network.builder().vpcId("vpc-1")).hasMessageContaining("vpcId");
        assertThatThrownBy(() -> Network.builder().subnetIds(List.of("subnet-a"))).hasMessageContaining("subnetIds");
        assertThatThrownBy(() -> Network.builder().securityGroupIds(List.of("sg"))).hasMessageContaining("securityGroupIds");
        assertThatThrownBy(() -> Network.builder().vpcId("vpc-0123456789abcdef0").availabilityZones(List.of("a", "b"))
                .subnetIds(List.of("subnet-0123456789abcdef0")).build()).hasMessageContaining("as many per zone");
        assertThat(Network.builder().vpcId("vpc-0123456789abcdef0").build().needsLookup()).isTrue();
        assertThat(Network.builder().vpcId("vpc-0123456789abcdef0").availabilityZones(List.of("a"))
                .subnetIds(List.of("subnet-0123456789abcdef0")).build().needsLookup()).isFalse();
    }

    @Test
    void stackProps_needClusters_uniqueNames_andAnAccountToLookUpAVpc() {
        ClusterProps c = ClusterProps.builder("c").build();
        assertThatThrownBy(() -> TidemarkStackProps.builder().build()).hasMessage("no clusters to deploy");
        assertThatThrownBy(() -> TidemarkStackProps.builder().clusters(List.of(c, c)).build())
                .hasMessage("cluster c is listed twice");
        ClusterProps lookup = ClusterProps.builder("l")
                .network(Network.builder().vpcId("vpc-0123456789abcdef0").build()).build();
        assertThatThrownBy(() -> TidemarkStackProps.builder().clusters(List.of(lookup)).build())
                .hasMessageContaining("needs the stack's account and region");
        assertThatThrownBy(() -> TidemarkStackProps.builder().region("us-east")).hasMessageContaining("region");
        assertThat(TidemarkStackProps.builder().account("123456789012").region("eu-central-1").clusters(List.of(lookup))
                .build().clusters()).containsExactly(lookup);
    }
}
