package io.tidemark.infra;

import static io.tidemark.infra.DefaultCluster.cfn;
import static io.tidemark.infra.DefaultCluster.live;
import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.infra.ClusterProps.FunctionKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.iam.IRole;

/** Each role of the default cluster holds exactly the statements it needs, and no wildcard action. */
class LeastPrivilegeTest {
    static final Template template = DefaultCluster.template;
    static final TidemarkCluster cluster = DefaultCluster.cluster;
    static final Object OBJECTS = cfn(cluster.bucket().arnForObjects("harmonylite/*"));
    static final Object READ = allow("ReadSnapshots", "s3:GetObject", OBJECTS);
    static final Object LIST = allow("ListSnapshots", "s3:ListBucket", cfn(cluster.bucket().getBucketArn()));
    static final Object LEASE = allow("Lease", List.of("dynamodb:GetItem", "dynamodb:UpdateItem"),
            cfn(cluster.leases().getTableArn()));
    static final Object PUT_EVENTS = allow("PutEvents", "events:PutEvents",
            cfn(TidemarkCluster.eventBusArn(DefaultCluster.stack, "default")));
    static final Object INVOKE_BUILD = allow("InvokeBuild", "lambda:InvokeFunction", live(FunctionKind.BUILD));
    static final Object SECRET = allow("NatsSecret", "secretsmanager:GetSecretValue", Fixtures.SECRET);

    static Object allow(String sid, Object actions, Object resource) {
        return Map.of("Sid", sid, "Effect", "Allow", "Action", actions, "Resource", resource);
    }

    static void policyIs(IRole role, Object... statements) {
        template.hasResourceProperties("AWS::IAM::Policy", Map.of("Roles", List.of(cfn(role.getRoleName())),
                "PolicyDocument", Match.objectEquals(Map.of("Version", "2012-10-17", "Statement", List.of(statements)))));
    }

    static IRole role(FunctionKind kind) {
        return cluster.function(kind).function().getRole();
    }

    @Test
    void build_readsWritesAndDeletesSnapshots_holdsTheLease_publishesEvents_readsTheSecret() {
        policyIs(role(FunctionKind.BUILD), READ, LIST,
                allow("WriteSnapshots", List.of("s3:PutObject", "s3:AbortMultipartUpload", "s3:DeleteObject"), OBJECTS),
                LEASE, PUT_EVENTS, SECRET);
    }

    @Test
    void monitor_readsSnapshots_writesOnlyItsOwnState_invokesBuild_readsTheSecret() {
        policyIs(role(FunctionKind.MONITOR), READ, LIST,
                allow("MonitorState", "s3:PutObject", cfn(cluster.bucket().arnForObjects("harmonylite/monitor/*"))),
                INVOKE_BUILD, SECRET);
    }

    @Test
    void verify_readsSnapshots_publishesEvents_readsTheSecret() {
        policyIs(role(FunctionKind.VERIFY), READ, LIST, PUT_EVENTS, SECRET);
    }

    @Test
    void trigger_readsSnapshots_invokesBuild_readsTheSecret() {
        policyIs(role(FunctionKind.TRIGGER), READ, LIST, INVOKE_BUILD, SECRET);
    }

    @Test
    void replicaTask_readsSnapshots_publishesFullSnapshots_holdsTheLease_neverDeletes_andAllowsEcsExec() {
        policyIs(cluster.replica().task().getTaskRole(), READ, LIST,
                allow("PublishFullSnapshots", List.of("s3:PutObject", "s3:AbortMultipartUpload"), OBJECTS), LEASE,
                // ECS Exec, as the CDK grants it: these four and DescribeLogGroups take no resource but "*";
                // the session log goes to the replica's own log group only.
                Map.of("Effect", "Allow", "Action", List.of("ssmmessages:CreateControlChannel",
                        "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"),
                        "Resource", "*"),
                Map.of("Effect", "Allow", "Action", "logs:DescribeLogGroups", "Resource", "*"),
                Map.of("Effect", "Allow", "Action", List.of("logs:CreateLogStream", "logs:DescribeLogStreams",
                        "logs:PutLogEvents"), "Resource", Map.of("Fn::Join", List.of("", Match.arrayWith(List.of(
                        Map.of("Ref", Match.stringLikeRegexp(".*ReplicaLogs.*")), ":*"))))));
    }

    @Test
    void functionRoles_haveOnlyLambdasLoggingAndVpcManagedPolicies() {
        template.resourcePropertiesCountIs("AWS::IAM::Role", Map.of("ManagedPolicyArns", List.of(
                managed("service-role/AWSLambdaBasicExecutionRole"),
                managed("service-role/AWSLambdaVPCAccessExecutionRole")),
                "AssumeRolePolicyDocument", Map.of("Statement", List.of(Match.objectLike(Map.of(
                        "Principal", Map.of("Service", "lambda.amazonaws.com")))))), 4);
        template.resourcePropertiesCountIs("AWS::IAM::Role", Map.of("ManagedPolicyArns", Match.anyValue()), 4);
    }

    static Object managed(String name) {
        return Map.of("Fn::Join", List.of("", List.of("arn:", Map.of("Ref", "AWS::Partition"), ":iam::aws:policy/" + name)));
    }

    /** Walks every statement: the one place a test reads the template by hand, to see all of them. */
    @Test
    void noIamStatement_anywhere_hasAWildcardAction() {
        List<String> actions = new ArrayList<>();
        for (Map<String, Object> policy : template.findResources("AWS::IAM::Policy").values()) {
            @SuppressWarnings("unchecked")
            var document = (Map<String, Object>) ((Map<String, Object>) policy.get("Properties")).get("PolicyDocument");
            @SuppressWarnings("unchecked")
            var statements = (List<Map<String, Object>>) document.get("Statement");
            for (Map<String, Object> statement : statements) {
                Object action = statement.get("Action");
                assertThat(statement).doesNotContainKey("NotAction");
                for (Object a : action instanceof List<?> l ? l : List.of(action)) {
                    actions.add((String) a);
                }
            }
        }
        assertThat(actions).hasSizeGreaterThan(25).allSatisfy(a -> assertThat(a).doesNotContain("*").contains(":"));
    }
}
