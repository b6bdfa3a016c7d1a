package org.uga.api.rest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.uga.api.error.ApiProblem;

/** Reading request bodies with a hard byte limit, so an oversized upload is refused without being kept. */
final class Bodies {

    private Bodies() {
    }

    static void checkDeclaredLength(String contentLength, long limit, String what) {
        if (contentLength == null) {
            return;
        }
        try {
            long n = Long.parseLong(contentLength.trim());
            if (n > limit) {
                throw ApiProblem.tooLarge(what + " is " + n + " bytes; the limit is " + limit + " bytes");
            }
        } catch (NumberFormatException e) {
            throw ApiProblem.badRequest("invalid-content-length", "Content-Length '" + contentLength + "' is not a number");
        }
    }

    static byte[] readLimited(InputStream in, long limit, String what) {
        if (in == null) {
            return new byte[0];
        }
        try {
            byte[] data = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
            if (data.length > limit) {
                throw ApiProblem.tooLarge(what + " exceeds the limit of " + limit + " bytes");
            }
            return data;
        } catch (IOException e) {
            throw ApiProblem.badRequest("unreadable-body", "the request body could not be read: " + e.getMessage());
        }
    }

    /** Streams the body to a temp file, stopping (and deleting it) as soon as it passes {@code limit}. */
    static Path spoolLimited(InputStream in, long limit, String what) {
        Path tmp;
        try {
            tmp = Files.createTempFile("uga-upload-", ".bin");
        } catch (IOException e) {
            throw new IllegalStateException("cannot create an upload buffer", e);
        }
        long total = 0;
        try (InputStream src = in; OutputStream out = Files.newOutputStream(tmp)) {
            byte[] buf = new byte[64 * 1024];
            int n;
            while (src != null && (n = src.read(buf)) > 0) {
                total += n;
                if (total > limit) {
                    throw ApiProblem.tooLarge(what + " exceeds the limit of " + limit + " bytes");
                }
                out.write(buf, 0, n);
            }
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw ApiProblem.badRequest("unreadable-body", "the upload could not be read: " + e.getMessage());
        } catch (RuntimeException e) {
            deleteQuietly(tmp);
            throw e;
        }
        if (total == 0) {
            deleteQuietly(tmp);
            throw ApiProblem.badRequest("empty-upload", what + " is empty");
        }
        return tmp;
    }

    static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a leftover temp file is harmless
        }
    }
}
