package org.uga.api.rest;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import org.uga.api.error.ApiProblem;

/** Unknown paths under /api answer problem+json 404 instead of falling through to the static-file handler. */
@Path("/api/{rest: .*}")
@PermitAll
public class NotFoundResource {

    @GET
    public void get(@PathParam("rest") String rest) {
        throw notFound(rest);
    }

    @POST
    public void post(@PathParam("rest") String rest) {
        throw notFound(rest);
    }

    @PUT
    public void put(@PathParam("rest") String rest) {
        throw notFound(rest);
    }

    @DELETE
    public void delete(@PathParam("rest") String rest) {
        throw notFound(rest);
    }

    private static ApiProblem notFound(String rest) {
        return ApiProblem.notFound("no-such-endpoint", "there is no endpoint /api/" + rest + " (see /q/openapi)");
    }
}
