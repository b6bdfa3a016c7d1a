package org.uga.api.error;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * An RFC 9457 problem detail: the body of every error response ({@code application/problem+json}).
 *
 * @param type     a URI naming the kind of problem (relative, under {@code /problems/})
 * @param title    short, stable summary of the problem kind
 * @param status   the HTTP status code
 * @param detail   what exactly was wrong with this request
 * @param instance the request path the problem occurred on
 * @param extra    optional machine-readable members (e.g. the rejected field)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance,
                      @JsonIgnore Map<String, Object> extra) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** RFC 9457 extension members sit next to the standard ones. */
    @JsonAnyGetter
    public Map<String, Object> extensions() {
        return extra == null ? Map.of() : extra;
    }
}
