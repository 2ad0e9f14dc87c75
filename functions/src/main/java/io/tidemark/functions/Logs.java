package io.tidemark.functions;

import com.amazonaws.services.lambda.runtime.Context;
import java.util.function.Supplier;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/** Runs one invocation with Powertools' logging fields set (cold start, request id, function name). */
final class Logs {
    private Logs() {}

    static <T> T around(Context context, Supplier<T> invocation) {
        return context == null ? invocation.get() : PowertoolsLogging.withLogging(context, invocation);
    }
}
