package org.uga.api.platform;

import java.net.URI;
import org.uga.store.ObjectStore;
import org.uga.store.S3ObjectStore;
import org.uga.store.S3Settings;

/** Opens the API's object store connection (the bucket is created when missing). */
final class StoreFactory {

    private StoreFactory() {
    }

    static ObjectStore open(URI endpoint, String accessKey, String secretKey, String bucket) {
        ObjectStore store = new S3ObjectStore(S3Settings.of(endpoint, accessKey, secretKey, bucket));
        store.ensureBucket();
        return store;
    }
}
