package io.tidemark.infra;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.CfnResource;
import software.constructs.IConstruct;

/**
 * What the template accepts on purpose, in the resource's own Metadata with the reason, where the
 * linters read it: {@code checkov: skip: [{id, comment}]} and {@code cfn-lint: config: ignore_checks}.
 * TemplateLintersTest fails on any finding not suppressed here, so each one has to be argued.
 */
final class LintSuppressions {
    private LintSuppressions() {}

    /** Skips one checkov check on this construct's CloudFormation resource, with the reason. */
    @SuppressWarnings("unchecked")
    static void checkov(IConstruct construct, String checkId, String reason) {
        CfnResource r = resource(construct);
        Object existing = r.getCfnOptions().getMetadata() == null ? null : r.getCfnOptions().getMetadata().get("checkov");
        List<Object> skips = new ArrayList<>();
        if (existing instanceof Map<?, ?> m && m.get("skip") instanceof List<?> l) {
            skips.addAll(l);
        }
        skips.add(Map.of("id", checkId, "comment", reason));
        r.addMetadata("checkov", Map.of("skip", skips));
    }

    /** Ignores one cfn-lint rule on this construct's resource; {@code reason} is kept beside it. */
    static void cfnLint(IConstruct construct, String rule, String reason) {
        CfnResource r = resource(construct);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("ignore_checks", List.of(rule));
        r.addMetadata("cfn-lint", Map.of("config", config));
        r.addMetadata("cfn-lint-reason", Map.of(rule, reason));
    }

    private static CfnResource resource(IConstruct c) {
        if (c instanceof CfnResource r) {
            return r;
        }
        Object child = c.getNode().getDefaultChild();
        if (child instanceof CfnResource r) {
            return r;
        }
        throw new IllegalArgumentException(c.getNode().getPath() + " has no CloudFormation resource to annotate");
    }
}
