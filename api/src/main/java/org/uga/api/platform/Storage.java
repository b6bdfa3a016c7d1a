package org.uga.api.platform;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.uga.infra.TemporalWorkers;


/**
 * The API's view of the object store: bytes, files and JSON documents by key. Missing keys are
 * {@link Optional#empty()}, never exceptions, so resources can turn them into 404s with a clear message.
 */
@Singleton
public class Storage {

    @Inject
    Platform platform;

    private final ObjectMapper json = TemporalWorkers.newObjectMapper();

    private BlobStore store() {
        return platform.store();
    }

    public void put(String key, byte[] data, String contentType) {
        store().put(key, data, contentType);
    }

    public void putFile(String key, Path file, String contentType) {
        store().putFile(key, file, contentType);
    }

    public Optional<byte[]> get(String key) {
        return store().getIfExists(key);
    }

    /** The first {@code n} bytes (fewer if the object is shorter), or empty when the key does not exist. */
    public Optional<byte[]> head(String key, int n) {
        return store().getRange(key, 0, n);
    }

    public boolean exists(String key) {
        return store().exists(key);
    }

    public Optional<Long> size(String key) {
        return store().size(key);
    }

    public void deleteQuietly(String key) {
        try {
            store().delete(key);
        } catch (RuntimeException ignored) {
            // best effort: the caller is already reporting the real failure
        }
    }

    public void putJson(String key, Object value) {
        try {
            put(key, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(value), "application/json");
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise " + key, e);
        }
    }

    public <T> Optional<T> getJson(String key, Class<T> type) {
        return get(key).map(b -> read(key, b, type));
    }

    public <T> Optional<T> getJson(String key, TypeReference<T> type) {
        return get(key).map(b -> {
            try {
                return json.readValue(b, type);
            } catch (IOException e) {
                throw new IllegalStateException("object " + key + " is not valid JSON: " + e.getMessage(), e);
            }
        });
    }

    private <T> T read(String key, byte[] b, Class<T> type) {
        try {
            return json.readValue(b, type);
        } catch (IOException e) {
            throw new IllegalStateException("object " + key + " is not valid JSON: " + e.getMessage(), e);
        }
    }
}
