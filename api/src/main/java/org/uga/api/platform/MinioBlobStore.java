package org.uga.api.platform;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.StatObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.MinioException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/** {@link BlobStore} on any S3 endpoint (MinIO, S3Proxy, AWS) through the MinIO client. */
public final class MinioBlobStore implements BlobStore {

    private static final Set<String> MISSING = Set.of("NoSuchKey", "NoSuchObject", "NotFound");

    private final MinioClient client;
    private final String bucket;

    public MinioBlobStore(URI endpoint, String accessKey, String secretKey, String bucket) {
        this.client = MinioClient.builder().endpoint(endpoint.toString()).credentials(accessKey, secretKey).build();
        this.bucket = bucket;
        try {
            if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
                client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
            }
        } catch (MinioException e) {
            throw new IllegalStateException("S3 bucket " + bucket + " at " + endpoint + " is not usable: " + e.getMessage(), e);
        }
    }

    @Override
    public void put(String key, byte[] data, String contentType) {
        try {
            client.putObject(PutObjectArgs.builder().bucket(bucket).object(key).data(data, data.length).contentType(contentType).build());
        } catch (MinioException e) {
            throw failure("write", key, e);
        }
    }

    @Override
    public void putFile(String key, Path file, String contentType) {
        try (InputStream in = Files.newInputStream(file)) {
            client.putObject(PutObjectArgs.builder().bucket(bucket).object(key).stream(in, Files.size(file), -1L)
                    .contentType(contentType).build());
        } catch (MinioException | IOException e) {
            throw failure("write", key, e);
        }
    }

    @Override
    public Optional<byte[]> getIfExists(String key) {
        try (GetObjectResponse r = client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
            return Optional.of(r.readAllBytes());
        } catch (ErrorResponseException e) {
            if (missing(e)) {
                return Optional.empty();
            }
            throw failure("read", key, e);
        } catch (MinioException | IOException e) {
            throw failure("read", key, e);
        }
    }

    @Override
    public Optional<byte[]> getRange(String key, long offset, int length) {
        Optional<Long> size = size(key);
        if (size.isEmpty()) {
            return Optional.empty();
        }
        if (size.get() == 0 || length == 0) {
            return Optional.of(new byte[0]);
        }
        long len = Math.min(length, Math.max(0, size.get() - offset));
        try (GetObjectResponse r = client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).offset(offset).length(len).build())) {
            return Optional.of(r.readAllBytes());
        } catch (ErrorResponseException e) {
            if (missing(e)) {
                return Optional.empty();
            }
            throw failure("read", key, e);
        } catch (MinioException | IOException e) {
            throw failure("read", key, e);
        }
    }

    @Override
    public boolean exists(String key) {
        return size(key).isPresent();
    }

    @Override
    public Optional<Long> size(String key) {
        try {
            return Optional.of(client.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build()).size());
        } catch (ErrorResponseException e) {
            if (missing(e)) {
                return Optional.empty();
            }
            throw failure("stat", key, e);
        } catch (MinioException e) {
            throw failure("stat", key, e);
        }
    }

    @Override
    public void delete(String key) {
        try {
            client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(key).build());
        } catch (MinioException e) {
            throw failure("delete", key, e);
        }
    }

    private static boolean missing(ErrorResponseException e) {
        return e.errorResponse() != null && MISSING.contains(e.errorResponse().code());
    }

    private IllegalStateException failure(String op, String key, Exception e) {
        return new IllegalStateException("object store: cannot " + op + " " + bucket + "/" + key + ": " + e.getMessage(), e);
    }
}
