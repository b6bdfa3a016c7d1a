package org.uga.api.campaigns;

import java.time.Instant;
import org.uga.workflows.model.CampaignSpec;

/**
 * What the API remembers about a campaign it started ({@code campaigns/<id>/campaign.json}); the embedded
 * Temporal server cannot list workflows, so this is the campaign list.
 *
 * @param runId the first run's id (continue-as-new starts later runs under the same workflow id)
 */
public record CampaignRecord(String campaignId, String title, String createdBy, Instant createdAt, String workflowType,
                             String taskQueue, String runId, CampaignSpec spec) {
}
