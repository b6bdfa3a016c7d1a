package org.uga.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.minio.BucketExistsArgs;
import io.minio.CopyObjectArgs;
import io.minio.Directive;
import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.Http;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.SourceObject;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.errors.ErrorResponseException;
import io.minio.messages.Item;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ObjectStore} on any S3 endpoint through the MinIO client.
 *
 * <p>Streamed writes ({@link #put}) cannot know the SHA-256 before the last byte, but S3 takes user metadata only
 * with the request that creates the object. So the bytes go to a staging key ({@value #STAGING_PREFIX}&lt;uuid&gt;)
 * while being hashed, then a server-side copy creates the final key with {@code x-amz-meta-sha256} set, and the
 * staging object is deleted. The final key therefore only ever holds complete objects with their hash. Staging
 * objects left by a crash are removed by {@link #purgeStaging(Duration)}.
 *
 * <p>Thread-safe: one instance can serve all activities of a worker.
 */
public final class S3ObjectStore implements ObjectStore {

    private static final Logger log = LoggerFactory.getLogger(S3ObjectStore.class);

    /** User metadata name; on the wire {@code x-amz-meta-sha256}. */
    public static final String SHA256_METADATA = "sha256";
    static final String SHA256_HEADER = "x-amz-meta-" + SHA256_METADATA;
    /** Where streamed uploads wait for their hash; never a valid {@link ObjectKeys} prefix. */
    public static final String STAGING_PREFIX = ".uga-staging/";
    /** Multipart part size: the most a streamed upload buffers in memory. */
    static final long PART_SIZE = 16L * 1024 * 1024;
    static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";
    static final String JSON = "application/json";

    private static final ObjectMapper JSON_MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final S3Settings settings;
    private final MinioClient client;

    public S3ObjectStore(S3Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        try {
            this.client = MinioClient.builder()
                    .endpoint(settings.endpoint().toString())
                    .region(settings.region())
                    .credentials(settings.accessKey(), settings.secretKey())
                    .httpClient(sharedHttpClient(settings.secure()), false)
                    .build();
        } catch (RuntimeException e) {
            throw new StoreException("cannot create an S3 client for " + settings + ": " + e.getMessage(), e);
        }
    }

    /** A store configured by {@link S3Settings#fromEnv()}. */
    public static S3ObjectStore fromEnv() {
        return new S3ObjectStore(S3Settings.fromEnv());
    }

    public S3Settings settings() {
        return settings;
    }

    /** The Jackson mapper {@link #putJson}/{@link #getJson} use (shared; do not reconfigure). */
    public static ObjectMapper jsonMapper() {
        return JSON_MAPPER;
    }

    // ------------------------------------------------------------------------------------------------ writes

    @Override
    public ObjectInfo put(String key, InputStream in, long size, String contentType) {
        ObjectKeys.requireValidKey(key);
        Objects.requireNonNull(in, "input stream");
        if (size < -1) {
            throw new IllegalArgumentException("size must be >= 0, or -1 for unknown, got " + size);
        }
        String type = contentType(contentType);
        String staging = STAGING_PREFIX + UUID.randomUUID();
        HashingInputStream hashing = new HashingInputStream(in);
        try {
            long partSize = size >= 0 && size <= PART_SIZE ? -1 : PART_SIZE;
            call("upload", key, () -> client.putObject(PutObjectArgs.builder()
                    .bucket(settings.bucket()).object(staging)
                    .stream(hashing, size, partSize)
                    .contentType(type)
                    .build()));
            if (size >= 0) {
                // The client reads one byte past the declared size to detect over-long streams.
                if (hashing.count() > size || readMore(in)) {
                    throw new StoreException("upload of " + key + ": the stream holds more than the declared " + size
                            + " bytes");
                }
                if (hashing.count() < size) {
                    throw new StoreException("upload of " + key + ": the stream ended after " + hashing.count()
                            + " of the declared " + size + " bytes");
                }
            }
            String sha256 = hashing.sha256Hex();
            ObjectInfo existing = statIfExists(key);
            if (existing != null && sha256.equals(existing.sha256()) && existing.size() == hashing.count()
                    && type.equals(existing.contentType())) {
                return existing; // a repeated write: the object is already there, intact
            }
            call("copy into place", key, () -> client.copyObject(CopyObjectArgs.builder()
                    .bucket(settings.bucket()).object(key)
                    .source(SourceObject.builder().bucket(settings.bucket()).object(staging).build())
                    .metadataDirective(Directive.REPLACE)
                    .headers(Map.of("Content-Type", type))
                    .userMetadata(Map.of(SHA256_METADATA, sha256))
                    .build()));
            ObjectInfo stored = stat(key);
            if (!sha256.equals(stored.sha256()) || stored.size() != hashing.count()) {
                throw new StoreException("S3 at " + settings.endpoint() + " did not keep the metadata of " + key
                        + ": expected sha256 " + sha256 + " and " + hashing.count() + " bytes, found " + stored);
            }
            return stored;
        } finally {
            deleteQuietly(staging);
        }
    }

    @Override
    public ObjectInfo putBytes(String key, byte[] data, String contentType) {
        ObjectKeys.requireValidKey(key);
        Objects.requireNonNull(data, "data");
        String type = contentType(contentType);
        String sha256 = HashingInputStream.sha256Hex(data);
        call("write", key, () -> client.putObject(PutObjectArgs.builder()
                .bucket(settings.bucket()).object(key)
                .stream(new ByteArrayInputStream(data), (long) data.length, data.length <= PART_SIZE ? -1L : PART_SIZE)
                .contentType(type)
                .userMetadata(Map.of(SHA256_METADATA, sha256))
                .build()));
        // lastModified is the client's clock: a HEAD per small write would double the requests.
        return new ObjectInfo(key, data.length, sha256, type, Instant.now());
    }

    @Override
    public String putContentAddressed(String prefix, byte[] data, String contentType) {
        Objects.requireNonNull(data, "data");
        String sha256 = HashingInputStream.sha256Hex(data);
        String key = ObjectKeys.contentAddressed(prefix, sha256);
        ObjectInfo existing = statIfExists(key);
        if (existing != null && sha256.equals(existing.sha256()) && existing.size() == data.length) {
            return key;
        }
        // Missing, or present without/with a wrong hash (written by another tool, or damaged): (re)write it.
        putBytes(key, data, contentType);
        return key;
    }

    @Override
    public ObjectInfo putJson(String key, Object value) {
        byte[] json;
        try {
            json = JSON_MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new StoreException("cannot serialise " + (value == null ? "null" : value.getClass().getName())
                    + " to JSON for " + key + ": " + e.getOriginalMessage(), e);
        }
        return putBytes(key, json, JSON);
    }

    // ------------------------------------------------------------------------------------------------- reads

    @Override
    public <T> T getJson(String key, Class<T> type) {
        Objects.requireNonNull(type, "type");
        byte[] json = getBytes(key);
        try {
            return JSON_MAPPER.readValue(json, type);
        } catch (IOException e) {
            throw new StoreException("object " + key + " is not valid JSON for " + type.getSimpleName() + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public InputStream get(String key) {
        ObjectKeys.requireValidKey(key);
        GetObjectResponse response = call("read", key, () -> client.getObject(
                GetObjectArgs.builder().bucket(settings.bucket()).object(key).build()));
        String sha256 = response.headers().get(SHA256_HEADER);
        String length = response.headers().get("Content-Length");
        long expectedLength = -1;
        if (length != null) {
            try {
                expectedLength = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                log.debug("unparseable Content-Length '{}' for {}", length, key);
            }
        }
        return new VerifyingInputStream(key, response, sha256, expectedLength);
    }

    @Override
    public byte[] getBytes(String key) {
        try (InputStream in = get(key)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new StoreException("cannot read object " + key + " from " + settings.endpoint() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public InputStream getRange(String key, long offset, long length) {
        ObjectKeys.requireValidKey(key);
        if (offset < 0) {
            throw new IllegalArgumentException("range offset must be >= 0, got " + offset);
        }
        if (length <= 0) {
            throw new IllegalArgumentException("range length must be > 0, got " + length);
        }
        return call("read a range of", key, () -> client.getObject(GetObjectArgs.builder()
                .bucket(settings.bucket()).object(key).offset(offset).length(length).build()));
    }

    @Override
    public ObjectInfo stat(String key) {
        ObjectKeys.requireValidKey(key);
        StatObjectResponse r = call("stat", key, () -> client.statObject(
                StatObjectArgs.builder().bucket(settings.bucket()).object(key).build()));
        return new ObjectInfo(key, r.size(), r.headers().get(SHA256_HEADER), r.contentType(),
                r.lastModified() == null ? null : r.lastModified().toInstant());
    }

    @Override
    public boolean exists(String key) {
        return statIfExists(key) != null;
    }

    @Override
    public List<ObjectInfo> list(String prefix) {
        ObjectKeys.requireListPrefix(prefix);
        List<ObjectInfo> out = new ArrayList<>();
        Iterable<Result<Item>> results = client.listObjects(ListObjectsArgs.builder()
                .bucket(settings.bucket()).prefix(prefix).recursive(true).build());
        for (Result<Item> result : results) {
            Item item = call("list", prefix + "*", result::get);
            if (item.isDir() || item.objectName().startsWith(STAGING_PREFIX)) {
                continue;
            }
            out.add(new ObjectInfo(item.objectName(), item.size(), null, null,
                    item.lastModified() == null ? null : item.lastModified().toInstant()));
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------------ admin

    @Override
    public void delete(String key) {
        ObjectKeys.requireValidKey(key);
        call("delete", key, () -> {
            client.removeObject(RemoveObjectArgs.builder().bucket(settings.bucket()).object(key).build());
            return null;
        });
    }

    @Override
    public void ensureBucket() {
        String bucket = settings.bucket();
        boolean exists = call("check bucket", bucket, () -> client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build()));
        if (exists) {
            return;
        }
        try {
            client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
            log.info("created bucket {} at {}", bucket, settings.endpoint());
        } catch (ErrorResponseException e) {
            if (!"BucketAlreadyOwnedByYou".equals(e.errorResponse().code())) {
                throw failure("create bucket", bucket, e);
            }
        } catch (Exception e) {
            throw failure("create bucket", bucket, e);
        }
    }

    /**
     * Deletes staging objects of streamed uploads older than {@code olderThan} (left by a process that died
     * mid-upload). Returns how many were removed.
     */
    public int purgeStaging(Duration olderThan) {
        Instant cutoff = Instant.now().minus(olderThan);
        int removed = 0;
        for (Result<Item> result : client.listObjects(ListObjectsArgs.builder()
                .bucket(settings.bucket()).prefix(STAGING_PREFIX).recursive(true).build())) {
            Item item = call("list", STAGING_PREFIX + "*", result::get);
            if (item.lastModified() != null && item.lastModified().toInstant().isBefore(cutoff)) {
                deleteQuietly(item.objectName());
                removed++;
            }
        }
        return removed;
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (Exception e) {
            throw new StoreException("cannot close the S3 client: " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------------------------------------- helpers

    private static OkHttpClient plainHttp;
    private static OkHttpClient tlsHttp;

    /**
     * One HTTP client per JVM and kind, shared by all stores (closing a store leaves it open). MinIO's own default
     * client parses every CA file named by SSL_CERT_FILE / SSL_CERT_DIR each time a client is built (seconds per
     * store on a busy machine); plain-http endpoints need none of that, https ones pay it once.
     */
    private static synchronized OkHttpClient sharedHttpClient(boolean secure) {
        if (secure) {
            if (tlsHttp == null) {
                tlsHttp = Http.newDefaultClient(); // JVM trust store + SSL_CERT_FILE/SSL_CERT_DIR, like MinIO
            }
            return tlsHttp;
        }
        if (plainHttp == null) {
            plainHttp = new OkHttpClient.Builder()
                    .connectTimeout(15, TimeUnit.SECONDS)
                    .writeTimeout(5, TimeUnit.MINUTES)
                    .readTimeout(5, TimeUnit.MINUTES)
                    .protocols(List.of(Protocol.HTTP_1_1))
                    .addInterceptor(new Http.StatusRetryInterceptor()) // MinIO's retry of 5xx/throttling answers
                    .build();
        }
        return plainHttp;
    }

    private ObjectInfo statIfExists(String key) {
        try {
            return stat(key);
        } catch (NotFoundException e) {
            return null;
        }
    }

    private void deleteQuietly(String key) {
        try {
            client.removeObject(RemoveObjectArgs.builder().bucket(settings.bucket()).object(key).build());
        } catch (Exception e) {
            log.warn("cannot remove staging object {}: {}", key, e.toString());
        }
    }

    private static boolean readMore(InputStream in) {
        try {
            return in.read() >= 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static String contentType(String contentType) {
        return contentType == null || contentType.isBlank() ? DEFAULT_CONTENT_TYPE : contentType;
    }

    @FunctionalInterface
    private interface S3Call<T> {
        T run() throws Exception;
    }

    private <T> T call(String action, String key, S3Call<T> call) {
        try {
            return call.run();
        } catch (StoreException e) {
            throw e;
        } catch (Exception e) {
            throw failure(action, key, e);
        }
    }

    /** Turns a MinIO/transport exception into a typed, readable one. */
    private StoreException failure(String action, String key, Exception e) {
        if (e instanceof ErrorResponseException ere && ere.errorResponse() != null) {
            String code = ere.errorResponse().code();
            switch (code == null ? "" : code) {
                case "NoSuchKey", "NoSuchObject", "ResourceNotFound" -> {
                    return new NotFoundException(key, "object " + key + " does not exist in bucket "
                            + settings.bucket() + " at " + settings.endpoint(), e);
                }
                case "NoSuchBucket" -> {
                    return new StoreException("bucket " + settings.bucket() + " does not exist at " + settings.endpoint()
                            + " (cannot " + action + " " + key + "); create it, e.g. with ensureBucket()", e);
                }
                case "AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch" -> {
                    return new StoreException("S3 at " + settings.endpoint() + " refused to " + action + " " + key + " ("
                            + code + "): check UGA_S3_ACCESS_KEY / UGA_S3_SECRET_KEY and the bucket policy", e);
                }
                case "InvalidRange" -> {
                    return new StoreException("the requested range is outside object " + key, e);
                }
                default -> {
                    return new StoreException("cannot " + action + " " + key + " at " + settings.endpoint() + ": " + code
                            + " " + ere.errorResponse().message(), e);
                }
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException) {
                return new StoreException("cannot reach S3 at " + settings.endpoint() + " to " + action + " " + key
                        + " (" + t.getMessage() + "); is the endpoint running (uga infra) and UGA_S3_ENDPOINT right?", e);
            }
            if (t instanceof SSLException) {
                return new StoreException("TLS handshake with S3 at " + settings.endpoint() + " failed ("
                        + t.getMessage() + "); check the endpoint's scheme and certificate", e);
            }
        }
        return new StoreException("cannot " + action + " " + key + " at " + settings.endpoint() + ": " + e, e);
    }
}
