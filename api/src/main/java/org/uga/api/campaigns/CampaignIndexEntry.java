package org.uga.api.campaigns;

import java.time.Instant;

/** One line of the campaign index object ({@code campaigns/index.json}). */
public record CampaignIndexEntry(String campaignId, String title, String createdBy, Instant createdAt) {
}
