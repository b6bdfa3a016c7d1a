package org.uga.api.platform;

import java.net.URI;

/** Opens the API's object store connection. */
final class StoreFactory {

    private StoreFactory() {
    }

    static BlobStore open(URI endpoint, String accessKey, String secretKey, String bucket) {
        return new MinioBlobStore(endpoint, accessKey, secretKey, bucket);
    }
}
