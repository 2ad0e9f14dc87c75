package io.tidemark.backends.natsobject;

import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.ObjectStore;
import io.nats.client.PurgeOptions;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.ObjectInfo;

import io.nats.client.api.StreamInfoOptions;
import io.nats.client.api.Subject;
import java.io.IOException;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Chunks no object names: what a put leaves when its writer dies before the object's metadata is
 * written (the object store writes chunks on {@code $O.<bucket>.C.<nuid>}, then the metadata that
 * points at that nuid). They are invisible to readers but hold space forever, so retention removes
 * them once their newest chunk is older than its grace period; a put still under way writes chunks
 * now and is left alone.
 */
final class OrphanChunks {
    private OrphanChunks() {}

    static int remove(JetStreamManagement jsm, ObjectStore objects, String bucket, Instant before)
            throws IOException, JetStreamApiException, InterruptedException {
        String stream = "OBJ_" + bucket;
        String prefix = "$O." + bucket + ".C.";
        Set<String> named = new HashSet<>();
        for (ObjectInfo info : objects.getList()) {
            named.add(info.getNuid());
        }
        List<Subject> subjects = jsm.getStreamInfo(stream, StreamInfoOptions.filterSubjects(prefix + ">"))
                .getStreamState().getSubjects();
        int removed = 0;
        for (Subject s : subjects == null ? List.<Subject>of() : subjects) {
            if (named.contains(s.getName().substring(prefix.length()))) {
                continue;
            }
            MessageInfo newest = jsm.getLastMessage(stream, s.getName());
            if (newest.getTime().toInstant().isBefore(before)) {
                jsm.purgeStream(stream, PurgeOptions.subject(s.getName()));
                removed++;
            }
        }
        return removed;
    }
}
