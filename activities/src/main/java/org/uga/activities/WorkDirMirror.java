package org.uga.activities;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.uga.imaging.WholeSlideScorer;
import org.uga.store.ObjectInfo;
import org.uga.store.ObjectKeys;
import org.uga.store.ObjectStore;

/**
 * Mirrors a resumable local work directory to an object-store prefix, so that a retried activity on another
 * worker continues where the last one stopped.
 *
 * <p>It relies only on this contract of the writer (e.g. {@link WholeSlideScorer}): a durable file is written
 * as {@code <name>.tmp} and atomically moved to {@code <name>}; when the writer reports a resume point, every
 * file a retry needs to resume from it exists in the directory. So {@link #syncing} uploads what is new or
 * changed (and removes from the store what the writer deleted) before it passes a new resume point on to the
 * heartbeat: a heartbeat never names state that is not in the store. Files named {@code *.tmp}, and those the
 * {@code durable} filter rejects, never travel.
 *
 * <p>Crash safety of one sync: removals first, then uploads, with {@code fingerprint.txt} (the file a writer
 * checks to decide whether the rest belongs to the same job) uploaded last. Whatever subset of a sync lands,
 * the files of the last heartbeated resume point are intact, or the fingerprint no longer matches them and the
 * writer starts over.
 */
public final class WorkDirMirror {

    /** The file that says which job the others belong to; uploaded last in a sync. */
    static final String FINGERPRINT = "fingerprint.txt";

    /**
     * A local file as last synced: size, modification time and file key (inode), so a file replaced by an atomic
     * move counts as changed even with the same size and time stamp.
     */
    private record Stamp(long size, long modifiedNanos, Object fileKey) {
    }

    /** What {@link #restore} found and did. */
    public record Restored(int remoteFiles, int downloadedFiles, long downloadedBytes) {
    }

    private final ObjectStore store;
    private final String prefix;
    private final Path dir;
    private final Predicate<String> durable;
    /** Relative path -> stamp of the local file whose copy is in the store (null: in the store, not downloaded). */
    private final Map<String, Stamp> remote = new HashMap<>();
    private int uploads;
    private long uploadedBytes;
    private int removals;

    /**
     * @param prefix  store prefix ending in {@code /} (e.g. {@link ObjectKeys#slideWalkPrefix})
     * @param dir     the local work directory
     * @param durable which relative paths ({@code /}-separated) are part of the resumable state; {@code *.tmp}
     *                files are excluded in any case
     */
    public WorkDirMirror(ObjectStore store, String prefix, Path dir, Predicate<String> durable) {
        this.store = Objects.requireNonNull(store, "store");
        this.prefix = ObjectKeys.requireListPrefix(Objects.requireNonNull(prefix, "prefix"));
        if (!prefix.endsWith("/")) {
            throw new IllegalArgumentException("mirror prefix must end with '/', got '" + prefix + "'");
        }
        this.dir = Objects.requireNonNull(dir, "dir");
        this.durable = Objects.requireNonNull(durable, "durable");
    }

    public String prefix() {
        return prefix;
    }

    public Path dir() {
        return dir;
    }

    /** Files uploaded by syncs so far (a measure of checkpoint traffic). */
    public int uploads() {
        return uploads;
    }

    public long uploadedBytes() {
        return uploadedBytes;
    }

    public int removals() {
        return removals;
    }

    /**
     * Makes the local directory the store's copy: empties it, then, when {@code download}, fetches every object
     * under the prefix (verified against its SHA-256). Without {@code download} (a walk that starts from scratch)
     * only the listing is read, so that the next sync removes the stale objects.
     */
    public Restored restore(boolean download) {
        deleteLocal();
        remote.clear();
        List<ObjectInfo> objects = store.list(prefix);
        int downloaded = 0;
        long bytes = 0;
        try {
            Files.createDirectories(dir);
            for (ObjectInfo o : objects) {
                String rel = o.key().substring(prefix.length());
                if (!download || !travels(rel)) {
                    remote.put(rel, null);
                    continue;
                }
                Path target = local(rel);
                Files.createDirectories(target.getParent());
                Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
                try (InputStream in = store.get(o.key())) {
                    bytes += Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                }
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                remote.put(rel, stamp(target));
                downloaded++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restore " + prefix + " into " + dir, e);
        }
        return new Restored(objects.size(), downloaded, bytes);
    }

    /**
     * Brings the store in line with the directory: removes objects whose file is gone, uploads new or changed
     * files (streamed, checksummed), {@value #FINGERPRINT} last. Returns the number of files uploaded.
     */
    public int sync() {
        Map<String, Path> files = localFiles();
        for (String rel : new ArrayList<>(remote.keySet())) {
            if (!files.containsKey(rel)) {
                store.delete(ObjectKeys.underPrefix(prefix, rel));
                remote.remove(rel);
                removals++;
            }
        }
        List<String> order = new ArrayList<>(files.keySet());
        order.sort(Comparator.comparing((String rel) -> rel.equals(FINGERPRINT)).thenComparing(Comparator.naturalOrder()));
        int sent = 0;
        for (String rel : order) {
            Path file = files.get(rel);
            Stamp now;
            try {
                now = stamp(file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
            if (now.equals(remote.get(rel))) {
                continue;
            }
            try (InputStream in = Files.newInputStream(file)) {
                store.put(ObjectKeys.underPrefix(prefix, rel), in, now.size(), "application/octet-stream");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot upload " + file, e);
            }
            remote.put(rel, now);
            sent++;
            uploadedBytes += now.size();
        }
        uploads += sent;
        return sent;
    }

    /**
     * Wraps a progress callback (the heartbeat): whenever the reported {@code resumeFrom} differs from the last
     * one synced, the directory is synced first, then {@code next} sees the call. {@code startResumeFrom} is the
     * resume point the restored state stands for.
     */
    public WholeSlideScorer.Progress syncing(WholeSlideScorer.Progress next, int startResumeFrom) {
        int[] synced = {startResumeFrom};
        return (tileIndex, totalTiles, resumeFrom) -> {
            if (resumeFrom != synced[0]) {
                sync();
                synced[0] = resumeFrom;
            }
            if (next != null) {
                next.tileDone(tileIndex, totalTiles, resumeFrom);
            }
        };
    }

    /** Deletes every object under the prefix and the local directory: the job is finished. */
    public void clear() {
        for (ObjectInfo o : store.list(prefix)) {
            store.delete(o.key());
        }
        remote.clear();
        deleteLocal();
    }

    private boolean travels(String rel) {
        return !rel.endsWith(".tmp") && durable.test(rel);
    }

    private Path local(String rel) {
        Path p = dir;
        for (String segment : rel.split("/", -1)) {
            p = p.resolve(ObjectKeys.id("work file path segment", segment));
        }
        return p;
    }

    /** Regular files of the directory that travel, by relative path, in path order. */
    private Map<String, Path> localFiles() {
        Map<String, Path> out = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (!Files.isRegularFile(p)) {
                    continue;
                }
                String rel = dir.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/");
                if (travels(rel)) {
                    out.put(rel, p);
                }
            }
        } catch (IOException e) {
            // The writer does not run during a sync (syncs happen in its progress callback), so nothing moves.
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        return out;
    }

    private static Stamp stamp(Path file) throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        return new Stamp(a.size(), a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS), a.fileKey());
    }

    private void deleteLocal() {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
