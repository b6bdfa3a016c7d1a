package org.uga.api.security;

import java.util.regex.Pattern;
import org.uga.api.error.ApiProblem;

/**
 * Rules for object keys and ids that come from users. A key names an object in the shared bucket, so a crafted
 * key could read or overwrite another campaign's data: no {@code ..} segments, no absolute or empty segments, a
 * conservative character set, and nothing under another campaign's prefix.
 */
public final class KeyPolicy {

    private static final Pattern KEY_CHARS = Pattern.compile("[A-Za-z0-9._/=+-]+");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    public static final int MAX_KEY_LENGTH = 512;

    private KeyPolicy() {
    }

    /** A user-supplied object key; {@code field} names it in the error. */
    public static String checkKey(String key, String field) {
        if (key == null || key.isBlank()) {
            throw ApiProblem.badRequest("invalid-key", field + " is empty");
        }
        if (key.length() > MAX_KEY_LENGTH) {
            throw ApiProblem.badRequest("invalid-key", field + " is longer than " + MAX_KEY_LENGTH + " characters");
        }
        if (key.startsWith("/") || key.endsWith("/") || key.contains("//") || key.contains("\\")) {
            throw ApiProblem.badRequest("invalid-key", field + " '" + key + "' must be relative, without empty segments or backslashes");
        }
        for (String seg : key.split("/")) {
            if (seg.equals("..") || seg.equals(".")) {
                throw ApiProblem.badRequest("path-traversal", field + " '" + key + "' contains a '" + seg + "' segment");
            }
        }
        if (key.contains("..")) {
            throw ApiProblem.badRequest("path-traversal", field + " '" + key + "' contains '..'");
        }
        if (!KEY_CHARS.matcher(key).matches()) {
            throw ApiProblem.badRequest("invalid-key", field + " '" + key + "' may only contain letters, digits and . _ - / = +");
        }
        return key;
    }

    /**
     * A key a user wants a campaign to read: valid, and not inside any campaign's private prefix other than
     * {@code ownCampaignId} (which may be null for keys registered outside any campaign).
     */
    public static String checkForeignCampaignKey(String key, String field, String campaignsPrefix, String ownCampaignId) {
        checkKey(key, field);
        if (key.startsWith(campaignsPrefix)) {
            String rest = key.substring(campaignsPrefix.length());
            String owner = rest.contains("/") ? rest.substring(0, rest.indexOf('/')) : rest;
            if (ownCampaignId == null || !owner.equals(ownCampaignId)) {
                throw ApiProblem.forbidden(field + " '" + key + "' belongs to campaign '" + owner + "'");
            }
        }
        return key;
    }

    /** An id used as a single key segment (campaign, patch, slide, annotation ids). */
    public static String checkId(String id, String field) {
        if (id != null && id.contains("..")) {
            throw ApiProblem.badRequest("path-traversal", field + " '" + id + "' contains '..'");
        }
        if (id == null || !ID.matcher(id).matches()) {
            throw ApiProblem.badRequest("invalid-id", field + " '" + id
                    + "' must be 1-128 characters of letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        return id;
    }
}
