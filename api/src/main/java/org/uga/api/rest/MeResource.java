package org.uga.api.rest;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.uga.api.campaigns.CampaignIndexEntry;
import org.uga.api.campaigns.CampaignService;
import org.uga.api.security.Roles;
import org.uga.workflows.model.CampaignStatus;
import org.uga.workflows.model.PatchState;
import org.uga.workflows.model.PatchStatus;

@Path("/api/me")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "me", description = "The logged-in user and the annotator's work queue")
public class MeResource {

    @Inject
    SecurityIdentity identity;

    @Inject
    CampaignService campaigns;

    public record Me(String user, List<String> roles) {
    }

    /** A patch waiting for the annotator, with its deadline. */
    public record QueueItem(String campaignId, String title, int cycle, String patchId, String imageId, int x, int y,
                            int width, int height, double score, PatchState state, Instant deadline) {
    }

    @GET
    @RolesAllowed({Roles.COORDINATOR, Roles.ANNOTATOR, Roles.AUDITOR})
    @Operation(summary = "Who am I: user name and roles")
    public Me me() {
        return new Me(identity.getPrincipal().getName(), identity.getRoles().stream().sorted().toList());
    }

    @GET
    @Path("/queue")
    @RolesAllowed(Roles.ANNOTATOR)
    @Operation(summary = "Open patches assigned to me (ASSIGNED or OVERDUE) across running campaigns, earliest deadline first")
    public List<QueueItem> queue() {
        String user = identity.getPrincipal().getName();
        List<QueueItem> items = new ArrayList<>();
        for (CampaignIndexEntry e : campaigns.index()) {
            CampaignStatus s = campaigns.statusOf(e.campaignId()).orElse(null);
            if (s == null || CampaignService.isFinal(s.phase())) {
                continue;
            }
            for (PatchStatus p : s.patches()) {
                if (user.equals(p.assignedTo()) && Set.of(PatchState.ASSIGNED, PatchState.OVERDUE).contains(p.state())) {
                    items.add(new QueueItem(e.campaignId(), e.title(), p.cycle(), p.patchId(), p.imageId(), p.x(), p.y(),
                            p.w(), p.h(), p.score(), p.state(), p.deadline()));
                }
            }
        }
        items.sort(Comparator.comparing(QueueItem::deadline, Comparator.nullsLast(Comparator.naturalOrder())));
        return items;
    }
}
