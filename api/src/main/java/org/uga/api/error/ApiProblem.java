package org.uga.api.error;

import java.util.Map;

/**
 * Thrown by API code for a request that cannot be served; {@link ProblemMappers} turns it into problem+json.
 * The {@code kind} becomes the problem type ({@code /problems/<kind>}) so clients can branch on it.
 */
public class ApiProblem extends RuntimeException {

    private final int status;
    private final String kind;
    private final String title;
    private final Map<String, Object> extra;

    public ApiProblem(int status, String kind, String title, String detail) {
        this(status, kind, title, detail, null);
    }

    public ApiProblem(int status, String kind, String title, String detail, Map<String, Object> extra) {
        super(detail);
        this.status = status;
        this.kind = kind;
        this.title = title;
        this.extra = extra;
    }

    public int status() {
        return status;
    }

    public String kind() {
        return kind;
    }

    public String title() {
        return title;
    }

    public Map<String, Object> extra() {
        return extra;
    }

    public static ApiProblem badRequest(String kind, String detail) {
        return new ApiProblem(400, kind, "Bad request", detail);
    }

    public static ApiProblem notFound(String kind, String detail) {
        return new ApiProblem(404, kind, "Not found", detail);
    }

    public static ApiProblem forbidden(String detail) {
        return new ApiProblem(403, "forbidden", "Forbidden", detail);
    }

    public static ApiProblem conflict(String kind, String detail) {
        return new ApiProblem(409, kind, "Conflict", detail);
    }

    public static ApiProblem tooLarge(String detail) {
        return new ApiProblem(413, "payload-too-large", "Payload too large", detail);
    }

    public static ApiProblem unsupportedMedia(String detail) {
        return new ApiProblem(415, "unsupported-media-type", "Unsupported media type", detail);
    }

    public static ApiProblem unprocessable(String kind, String detail) {
        return new ApiProblem(422, kind, "Unprocessable content", detail);
    }
}
