package org.uga.api.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.uga.api.error.ApiProblem;

class KeyPolicyTest {

    @Test
    void acceptsOrdinaryKeys() {
        assertEquals("data/local/images/t1.png", KeyPolicy.checkKey("data/local/images/t1.png", "key"));
        assertEquals("campaigns/c1/x.png", KeyPolicy.checkForeignCampaignKey("campaigns/c1/x.png", "key", "campaigns/", "c1"));
    }

    @Test
    void rejectsTraversalAbsoluteAndOddKeys() {
        for (String bad : new String[]{"../etc/passwd", "a/../b", "a/..", "/abs", "a//b", "a\\b", "a/./b", "a b", "a/b/", "x..y", ""}) {
            ApiProblem e = assertThrows(ApiProblem.class, () -> KeyPolicy.checkKey(bad, "key"), bad);
            assertEquals(400, e.status(), bad);
        }
    }

    @Test
    void rejectsOtherCampaignsKeys() {
        ApiProblem e = assertThrows(ApiProblem.class, () -> KeyPolicy.checkForeignCampaignKey("campaigns/other/models/m.pt", "key", "campaigns/", "mine"));
        assertEquals(403, e.status());
        assertThrows(ApiProblem.class, () -> KeyPolicy.checkForeignCampaignKey("campaigns/other/x", "key", "campaigns/", null));
    }

    @Test
    void idsAreSingleSafeSegments() {
        assertEquals("patch-1_a.b", KeyPolicy.checkId("patch-1_a.b", "id"));
        for (String bad : new String[]{"..", "a/b", ".hidden", "a..b", "", "x y"}) {
            assertThrows(ApiProblem.class, () -> KeyPolicy.checkId(bad, "id"), bad);
        }
    }
}
