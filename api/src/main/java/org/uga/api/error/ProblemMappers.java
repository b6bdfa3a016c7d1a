package org.uga.api.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.quarkus.security.AuthenticationCompletionException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns every failure into an RFC 9457 problem+json response; no error leaves the API as HTML or plain text. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response apiProblem(ApiProblem e, UriInfo uri) {
        return response(e.status(), e.kind(), e.title(), e.getMessage(), uri, e.extra());
    }

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class, AuthenticationCompletionException.class})
    public Response unauthorized(RuntimeException e, UriInfo uri, HttpHeaders headers) {
        boolean triedCredentials = headers.getHeaderString(HttpHeaders.AUTHORIZATION) != null;
        String detail = triedCredentials ? "the user name or password is wrong"
                : "this endpoint needs credentials (HTTP basic auth with a coordinator, annotator or auditor account)";
        Response.ResponseBuilder b = Response.status(401).type(Problem.MEDIA_TYPE)
                .entity(problem(401, "unauthenticated", "Unauthorized", detail, uri, null));
        // The web UI asks for no browser login dialog: it sends X-Requested-With and handles 401 itself.
        if (!"XMLHttpRequest".equals(headers.getHeaderString("X-Requested-With"))) {
            b.header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"uga\"");
        }
        return b.build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return response(403, "forbidden", "Forbidden", "your role does not allow this request", uri, null);
    }

    /** Declared separately: Quarkus ships a mapper for this subtype that would otherwise win. */
    @ServerExceptionMapper
    public Response mismatchedJson(com.fasterxml.jackson.databind.exc.MismatchedInputException e, UriInfo uri) {
        return badJson(e, uri);
    }

    /** Malformed JSON, wrong JSON types and records whose constructors refuse the values. */
    @ServerExceptionMapper
    public Response badJson(JsonProcessingException e, UriInfo uri) {
        Throwable cause = e instanceof ValueInstantiationException && e.getCause() != null ? e.getCause() : null;
        String detail;
        String kind;
        if (cause != null) {
            kind = "constraint-violation";
            detail = "invalid value: " + cause.getMessage();
        } else if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            kind = "invalid-json-field";
            detail = "field '" + fieldPath(m) + "': " + e.getOriginalMessage();
        } else {
            kind = "malformed-json";
            detail = "the request body is not valid JSON: " + e.getOriginalMessage();
        }
        return response(400, kind, "Bad request", detail, uri, null);
    }

    @ServerExceptionMapper
    public Response constraint(jakarta.validation.ConstraintViolationException e, UriInfo uri) {
        StringBuilder sb = new StringBuilder();
        e.getConstraintViolations().forEach(v -> {
            if (sb.length() > 0) {
                sb.append("; ");
            }
            String path = v.getPropertyPath().toString();
            int dot = path.indexOf('.');
            // Method-parameter paths look like "create.spec.name": drop the method segment.
            sb.append(dot >= 0 ? path.substring(dot + 1) : path).append(": ").append(v.getMessage());
        });
        return response(400, "constraint-violation", "Bad request", sb.toString(), uri, null);
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        String title = Response.Status.fromStatusCode(status) != null ? Response.Status.fromStatusCode(status).getReasonPhrase() : "Error";
        String detail = switch (status) {
            case 404 -> "no resource at " + uri.getPath();
            case 405 -> "method not allowed on " + uri.getPath();
            case 406 -> "no acceptable representation: " + e.getMessage();
            case 415 -> "unsupported content type: " + e.getMessage();
            default -> e.getMessage();
        };
        if (e.getCause() instanceof JsonProcessingException j) {
            return badJson(j, uri);
        }
        return response(status, kebab(title), title, detail, uri, null);
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e, UriInfo uri) {
        LOG.errorf(e, "unhandled error on %s", uri.getPath());
        return response(500, "internal-error", "Internal server error",
                "the server failed: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()), uri, null);
    }

    static Response response(int status, String kind, String title, String detail, UriInfo uri, Map<String, Object> extra) {
        return Response.status(status).type(Problem.MEDIA_TYPE).entity(problem(status, kind, title, detail, uri, extra)).build();
    }

    static Problem problem(int status, String kind, String title, String detail, UriInfo uri, Map<String, Object> extra) {
        return new Problem("/problems/" + kind, title, status, detail, uri == null ? null : uri.getPath(), extra);
    }

    private static String fieldPath(JsonMappingException m) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : m.getPath()) {
            if (r.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(r.getFieldName());
            } else {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String kebab(String s) {
        return s.toLowerCase().replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    }
}
