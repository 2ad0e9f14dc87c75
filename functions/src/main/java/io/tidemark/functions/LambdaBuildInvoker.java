package io.tidemark.functions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidemark.core.build.Trigger;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;

/** Invokes the Build function with InvocationType Event: Lambda queues it and answers 202. */
final class LambdaBuildInvoker implements BuildInvoker {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final LambdaClient lambda;
    private final String function;

    LambdaBuildInvoker(LambdaClient lambda, String function) {
        this.lambda = lambda;
        this.function = function;
    }

    @Override
    public void invokeAsync(Trigger trigger, boolean force, String requestId) {
        try {
            byte[] payload = JSON.writeValueAsBytes(Map.of("trigger", trigger.wire(), "force", force,
                    "requestId", requestId));
            int status = lambda.invoke(b -> b.functionName(function).invocationType(InvocationType.EVENT)
                    .payload(SdkBytes.fromByteArray(payload))).statusCode();
            if (status != 202) {
                throw new IllegalStateException("Lambda answered " + status + " to the async invoke of " + function);
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        } catch (SdkException e) {
            throw new IllegalStateException("cannot invoke " + function + " for request " + requestId + ": "
                    + e.getMessage(), e);
        }
    }
}
