package org.uga.api.platform;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.uga.infra.TemporalWorkers;
import org.uga.store.NotFoundException;
import org.uga.store.ObjectStore;


/**
 * The API's view of the object store: bytes, files and JSON documents by key. Missing keys are
 * {@link Optional#empty()}, never exceptions, so resources can turn them into 404s with a clear message.
 */
@Singleton
public class Storage {

    @Inject
    Platform platform;

    private final ObjectMapper json = TemporalWorkers.newObjectMapper();

    private ObjectStore store() {
        return platform.store();
    }

    public void put(String key, byte[] data, String contentType) {
        store().putBytes(key, data, contentType);
    }

    /** Streams a file into the store: a large upload never sits in memory. */
    public void putFile(String key, Path file, String contentType) {
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(file)) {
            store().put(key, in, java.nio.file.Files.size(file), contentType);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read upload buffer " + file, e);
        }
    }

    public Optional<byte[]> get(String key) {
        try {
            return Optional.of(store().getBytes(key));
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    /** The first {@code n} bytes (fewer if the object is shorter), or empty when the key does not exist. */
    public Optional<byte[]> head(String key, int n) {
        Optional<Long> size = size(key);
        if (size.isEmpty()) {
            return Optional.empty();
        }
        long len = Math.min(n, size.get());
        if (len == 0) {
            return Optional.of(new byte[0]);
        }
        try (java.io.InputStream in = store().getRange(key, 0, len)) {
            return Optional.of(in.readAllBytes());
        } catch (NotFoundException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + key, e);
        }
    }

    public boolean exists(String key) {
        return store().exists(key);
    }

    public Optional<Long> size(String key) {
        try {
            return Optional.of(store().stat(key).size());
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    /** Keys under a prefix (tests and audits). */
    public java.util.List<String> list(String prefix) {
        return store().list(prefix).stream().map(org.uga.store.ObjectInfo::key).toList();
    }

    /** Objects under a prefix with their size and last-modified time (no content type or hash: listings carry none). */
    public java.util.List<org.uga.store.ObjectInfo> listInfo(String prefix) {
        return store().list(prefix);
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
