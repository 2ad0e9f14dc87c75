package io.tidemark.functions;

import io.tidemark.fixtures.aws.DynamoDbLocalExtension;
import io.tidemark.fixtures.aws.S3ProxyExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The handler suite on S3Proxy and DynamoDB Local, in process. */
class HandlersIT extends HandlersContract {
    @RegisterExtension
    static S3ProxyExtension s3 = new S3ProxyExtension();
    @RegisterExtension
    static DynamoDbLocalExtension ddb = new DynamoDbLocalExtension();

    @Override
    protected AwsHarness.Emulators aws() {
        return AwsHarness.Emulators.of(s3, ddb);
    }
}
