package org.uga.imaging;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;
import org.uga.ml.data.Tile;
import org.uga.ml.uncertainty.UncertaintyMap;

/**
 * Scores a whole slide tile by tile with any per-tile function (model + uncertainty estimator) and writes the
 * blended probability and uncertainty maps as tiled pyramidal float32 TIFFs.
 *
 * <p>Tiles of {@code tileSize} overlap by {@code overlap} pixels; inside the overlap each tile's weight ramps
 * linearly to its border, and every output pixel is the weighted mean of the tiles covering it, so there are no
 * seams. Rows of output become final one tile row at a time; memory holds two accumulators of
 * {@code tileSize} rows of the slide width, never the whole map.
 *
 * <p>Each finished tile row is written to the work directory as a compressed band file (its final rows plus
 * the partial sums of the overlap below). A retried run with the same work directory and parameters resumes
 * at the first tile row without a band file, up to the tile index the caller reports (e.g. from a Temporal
 * heartbeat). Tiles whose tissue fraction is below {@code minTissueFraction} are not scored: they count as
 * probability 0 and uncertainty 0.
 */
public final class WholeSlideScorer {

    /**
     * @param level             slide level to score at
     * @param tileSize          model input size in pixels
     * @param overlap           pixels shared by neighbouring tiles (blended), {@code 0 <= overlap < tileSize}
     * @param minTissueFraction tiles with less tissue (by the tissue mask) are skipped; 0 scores every tile
     * @param outputTileSize    TIFF tile size of the written maps (multiple of 16)
     * @param compression       TIFF compression of the maps
     */
    public record Params(int level, int tileSize, int overlap, double minTissueFraction, int outputTileSize,
                         TiledTiffWriter.Compression compression) {

        public Params {
            if (level < 0 || tileSize < 8 || overlap < 0 || overlap >= tileSize) {
                throw new IllegalArgumentException("invalid scoring grid: level " + level + ", tile " + tileSize
                        + ", overlap " + overlap + " (need 0 <= overlap < tile)");
            }
            if (minTissueFraction < 0 || minTissueFraction > 1) {
                throw new IllegalArgumentException("minTissueFraction must be in [0,1], got " + minTissueFraction);
            }
            Objects.requireNonNull(compression, "compression");
        }

        public static Params of(int tileSize, int overlap) {
            return new Params(0, tileSize, overlap, 0.0, 256, TiledTiffWriter.Compression.DEFLATE);
        }

        public Params withLevel(int l) {
            return new Params(l, tileSize, overlap, minTissueFraction, outputTileSize, compression);
        }

        public Params withMinTissue(double f) {
            return new Params(level, tileSize, overlap, f, outputTileSize, compression);
        }

        String fingerprint(SlideLevel l, String slideName) {
            return "v1|" + slideName + "|" + l.width() + "x" + l.height() + "|" + level + "|" + tileSize + "|" + overlap
                    + "|" + minTissueFraction;
        }
    }

    /** Called after every tile: heartbeat here; {@code resumeFrom} is the tile index a retry may pass back. */
    @FunctionalInterface
    public interface Progress {
        void tileDone(int tileIndex, int totalTiles, int resumeFrom) throws Exception;
    }

    /** Per-tile summary for ranking: sums and max over the tile's own (unblended) uncertainty. */
    public record TileScore(int index, int x, int y, int width, int height, boolean scored, double tissueFraction,
                            double uncertaintySum, float uncertaintyMax, double meanProbability) {
    }

    /** Where the maps went and what was done; {@code tilesResumed} tiles came from an earlier attempt. */
    public record Result(int width, int height, int tilesTotal, int tilesScored, int tilesSkipped, int tilesResumed,
                         Path probabilityTiff, Path uncertaintyTiff, List<TileScore> tiles) {
    }

    private static final int BAND_MAGIC = 0x55474142; // "UGAB"
    private final Params params;

    public WholeSlideScorer(Params params) {
        this.params = Objects.requireNonNull(params, "params");
    }

    public Params params() {
        return params;
    }

    /** Tile origins along one axis: every {@code stride}, the last one flush with the end. */
    static int[] positions(int length, int tile, int stride) {
        if (length <= tile) {
            return new int[] {0};
        }
        List<Integer> ps = new ArrayList<>();
        for (int p = 0; p + tile < length; p += stride) {
            ps.add(p);
        }
        ps.add(length - tile);
        return ps.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Linear ramp over the overlap on sides that have a neighbour; never zero so every pixel has weight. */
    static float[] ramp(int tile, int overlap, boolean rampStart, boolean rampEnd) {
        float[] w = new float[tile];
        for (int i = 0; i < tile; i++) {
            double v = 1;
            if (overlap > 0 && rampStart) {
                v = Math.min(v, (i + 0.5) / overlap);
            }
            if (overlap > 0 && rampEnd) {
                v = Math.min(v, (tile - i - 0.5) / overlap);
            }
            w[i] = (float) Math.max(v, 1e-3);
        }
        return w;
    }

    /**
     * Scores the slide. {@code tissue} may be null (score everything). Band files live in {@code workDir};
     * the maps are written to {@code probabilityTiff} and {@code uncertaintyTiff}.
     */
    public Result score(SlideReader slide, TissueMask tissue, Function<Tile, UncertaintyMap> perTile, Path workDir,
                        Path probabilityTiff, Path uncertaintyTiff, int resumeFromTile, Progress progress) throws Exception {
        SlideLevel level = slide.info().level(params.level());
        int width = level.width();
        int height = level.height();
        int t = params.tileSize();
        int stride = t - params.overlap();
        int[] xs = positions(width, t, stride);
        int[] ys = positions(height, t, stride);
        int across = xs.length;
        int total = across * ys.length;
        Files.createDirectories(workDir);

        // Column and row weight sums: the blend weight of a pixel is wx(x) * wy(y), summed over tiles.
        float[][] wxByCol = new float[across][];
        float[] colSum = new float[width];
        for (int c = 0; c < across; c++) {
            wxByCol[c] = ramp(t, params.overlap(), c > 0, c < across - 1);
            for (int i = 0; i < t && xs[c] + i < width; i++) {
                colSum[xs[c] + i] += wxByCol[c][i];
            }
        }
        float[][] wyByRow = new float[ys.length][];
        float[] rowSum = new float[height];
        for (int r = 0; r < ys.length; r++) {
            wyByRow[r] = ramp(t, params.overlap(), r > 0, r < ys.length - 1);
            for (int i = 0; i < t && ys[r] + i < height; i++) {
                rowSum[ys[r] + i] += wyByRow[r][i];
            }
        }

        String fingerprint = params.fingerprint(level, slide.info().name());
        int startRow = resumableRow(workDir, fingerprint, Math.max(0, resumeFromTile) / across, ys.length);

        int accRows = Math.min(t, height);
        float[] accP = new float[accRows * width];
        float[] accU = new float[accRows * width];
        List<TileScore> scores = new ArrayList<>();
        if (startRow > 0) {
            readCarry(workDir.resolve(bandName(startRow - 1)), accP, accU, width);
            for (int r = 0; r < startRow; r++) {
                scores.addAll(readScores(workDir.resolve(scoresName(r))));
            }
        }
        int scored = 0;
        int skipped = 0;
        for (int r = startRow; r < ys.length; r++) {
            int y0 = ys[r];
            List<TileScore> rowScores = new ArrayList<>();
            for (int c = 0; c < across; c++) {
                int x0 = xs[c];
                int index = r * across + c;
                int tw = Math.min(t, width - x0);
                int th = Math.min(t, height - y0);
                double ds = level.downsample();
                double tissueFraction = tissue == null ? 1.0 : tissue.fraction(x0 * ds, y0 * ds, tw * ds, th * ds);
                if (tissue != null && tissueFraction < params.minTissueFraction()) {
                    skipped++;
                    rowScores.add(new TileScore(index, x0, y0, tw, th, false, tissueFraction, 0, 0, 0));
                } else {
                    Tile tile = slide.readTile(params.level(), x0, y0, t, t);
                    UncertaintyMap map = perTile.apply(tile);
                    if (map == null || map.width() != t || map.height() != t) {
                        throw new IllegalStateException("per-tile function returned " + (map == null ? "null"
                                : map.width() + "x" + map.height()) + " for a " + t + "x" + t + " tile");
                    }
                    accumulate(map, accP, accU, width, x0, y0, y0, tw, th, wxByCol[c], wyByRow[r]);
                    scored++;
                    rowScores.add(summary(index, x0, y0, tw, th, tissueFraction, map));
                }
                if (progress != null) {
                    progress.tileDone(index, total, r * across);
                }
            }
            // Rows above the next tile row's origin are final.
            int finalEnd = r + 1 < ys.length ? ys[r + 1] : height;
            writeScores(workDir, r, rowScores);
            writeBand(workDir, r, fingerprint, accP, accU, width, y0, finalEnd, Math.min(y0 + t, height), colSum, rowSum);
            scores.addAll(rowScores);
            shift(accP, accU, width, finalEnd - y0, accRows);
            if (progress != null) {
                progress.tileDone((r + 1) * across - 1, total, (r + 1) * across);
            }
        }
        assemble(workDir, ys.length, width, height, probabilityTiff, uncertaintyTiff);
        return new Result(width, height, total, scored, skipped, startRow * across, probabilityTiff, uncertaintyTiff,
                List.copyOf(scores));
    }

    private static TileScore summary(int index, int x0, int y0, int tw, int th, double tissue, UncertaintyMap map) {
        double sum = 0;
        double prob = 0;
        float max = 0;
        for (int yy = 0; yy < th; yy++) {
            for (int xx = 0; xx < tw; xx++) {
                float u = map.uncertainty()[yy * map.width() + xx];
                sum += u;
                max = Math.max(max, u);
                prob += map.probability()[yy * map.width() + xx];
            }
        }
        return new TileScore(index, x0, y0, tw, th, true, tissue, sum, max, prob / ((double) tw * th));
    }

    private static void accumulate(UncertaintyMap map, float[] accP, float[] accU, int width, int x0, int y0, int accBase,
                                   int tw, int th, float[] wx, float[] wy) {
        float[] p = map.probability();
        float[] u = map.uncertainty();
        int t = map.width();
        for (int yy = 0; yy < th; yy++) {
            int row = (y0 + yy - accBase) * width + x0;
            float wyv = wy[yy];
            for (int xx = 0; xx < tw; xx++) {
                float w = wx[xx] * wyv;
                accP[row + xx] += w * p[yy * t + xx];
                accU[row + xx] += w * u[yy * t + xx];
            }
        }
    }

    /** Moves the accumulator rows from {@code by} on to the top and clears the rest. */
    private static void shift(float[] accP, float[] accU, int width, int by, int accRows) {
        int keep = Math.max(0, accRows - by);
        if (keep > 0) {
            System.arraycopy(accP, by * width, accP, 0, keep * width);
            System.arraycopy(accU, by * width, accU, 0, keep * width);
        }
        java.util.Arrays.fill(accP, keep * width, accRows * width, 0f);
        java.util.Arrays.fill(accU, keep * width, accRows * width, 0f);
    }

    // --- band files ---------------------------------------------------------------------------------------------

    private static String bandName(int row) {
        return String.format("band-%06d.bin", row);
    }

    private static String scoresName(int row) {
        return String.format("scores-%06d.bin", row);
    }

    /** First tile row to compute: after the longest prefix of valid band files, at most {@code wantedRow}. */
    private static int resumableRow(Path workDir, String fingerprint, int wantedRow, int rows) throws IOException {
        Path fp = workDir.resolve("fingerprint.txt");
        boolean same = Files.exists(fp) && Files.readString(fp).equals(fingerprint);
        if (!same || wantedRow == 0) {
            try (Stream<Path> old = Files.list(workDir)) {
                for (Path p : (Iterable<Path>) old::iterator) {
                    String n = p.getFileName().toString();
                    if (n.startsWith("band-") || n.startsWith("scores-")) {
                        Files.delete(p);
                    }
                }
            }
            Files.writeString(fp, fingerprint);
            return 0;
        }
        int r = 0;
        while (r < Math.min(wantedRow, rows) && Files.exists(workDir.resolve(bandName(r)))
                && Files.exists(workDir.resolve(scoresName(r)))) {
            r++;
        }
        return r;
    }

    /**
     * Band file: header, the final rows [y0, finalEnd) of both maps (normalised), then the raw accumulator rows
     * [finalEnd, accEnd) that the next tile row keeps adding to. Written to a temp file and moved, so a crash
     * never leaves half a band.
     */
    private static void writeBand(Path workDir, int row, String fingerprint, float[] accP, float[] accU, int width,
                                  int y0, int finalEnd, int accEnd, float[] colSum, float[] rowSum) throws IOException {
        Path tmp = workDir.resolve(bandName(row) + ".tmp");
        Deflater deflater = new Deflater(1);
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
                new DeflaterOutputStream(Files.newOutputStream(tmp), deflater, 1 << 16), 1 << 16))) {
            out.writeInt(BAND_MAGIC);
            out.writeInt(row);
            out.writeInt(width);
            out.writeInt(y0);
            out.writeInt(finalEnd);
            out.writeInt(accEnd);
            float[] line = new float[width];
            for (float[] acc : new float[][] {accP, accU}) {
                for (int y = y0; y < finalEnd; y++) {
                    int base = (y - y0) * width;
                    float wy = rowSum[y];
                    for (int x = 0; x < width; x++) {
                        line[x] = acc[base + x] / (colSum[x] * wy);
                    }
                    writeFloats(out, line, 0, width);
                }
            }
            for (float[] acc : new float[][] {accP, accU}) {
                writeFloats(out, acc, (finalEnd - y0) * width, (accEnd - finalEnd) * width);
            }
        } finally {
            deflater.end();
        }
        Files.move(tmp, workDir.resolve(bandName(row)), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void readCarry(Path band, float[] accP, float[] accU, int width) throws IOException {
        try (DataInputStream in = openBand(band)) {
            int[] h = header(in, band, width);
            int finalRows = h[1] - h[0];
            int carryRows = h[2] - h[1];
            skipFloats(in, 2L * finalRows * width);
            java.util.Arrays.fill(accP, 0f);
            java.util.Arrays.fill(accU, 0f);
            readFloats(in, accP, 0, carryRows * width);
            readFloats(in, accU, 0, carryRows * width);
        }
    }

    private static DataInputStream openBand(Path band) throws IOException {
        return new DataInputStream(new BufferedInputStream(new InflaterInputStream(Files.newInputStream(band)), 1 << 16));
    }

    /** Validates a band header; returns {y0, finalEnd, accEnd}. */
    private static int[] header(DataInputStream in, Path band, int width) throws IOException {
        if (in.readInt() != BAND_MAGIC) {
            throw new IOException(band + " is not a scoring band file");
        }
        in.readInt();
        int w = in.readInt();
        if (w != width) {
            throw new IOException(band + " has width " + w + ", expected " + width);
        }
        return new int[] {in.readInt(), in.readInt(), in.readInt()};
    }

    /** Streams every band's final rows into the two TIFF writers. */
    private void assemble(Path workDir, int rows, int width, int height, Path probTiff, Path uncTiff) throws IOException {
        TiledTiffWriter.Spec spec = TiledTiffWriter.Spec.float32(width, height, params.outputTileSize())
                .withCompression(params.compression());
        try (TiledTiffWriter pw = TiledTiffWriter.create(probTiff, spec.withDescription("UGA foreground probability"));
             TiledTiffWriter uw = TiledTiffWriter.create(uncTiff, spec.withDescription("UGA uncertainty"))) {
            for (int r = 0; r < rows; r++) {
                Path band = workDir.resolve(bandName(r));
                try (DataInputStream in = openBand(band)) {
                    int[] h = header(in, band, width);
                    int n = h[1] - h[0];
                    float[] buf = new float[n * width];
                    readFloats(in, buf, 0, buf.length);
                    pw.writeRows(buf, n);
                    readFloats(in, buf, 0, buf.length);
                    uw.writeRows(buf, n);
                }
            }
            pw.finish();
            uw.finish();
        }
    }

    private static void writeScores(Path workDir, int row, List<TileScore> scores) throws IOException {
        Path tmp = workDir.resolve(scoresName(row) + ".tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
            out.writeInt(scores.size());
            for (TileScore s : scores) {
                out.writeInt(s.index());
                out.writeInt(s.x());
                out.writeInt(s.y());
                out.writeInt(s.width());
                out.writeInt(s.height());
                out.writeBoolean(s.scored());
                out.writeDouble(s.tissueFraction());
                out.writeDouble(s.uncertaintySum());
                out.writeFloat(s.uncertaintyMax());
                out.writeDouble(s.meanProbability());
            }
        }
        Files.move(tmp, workDir.resolve(scoresName(row)), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static List<TileScore> readScores(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            int n = in.readInt();
            List<TileScore> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(new TileScore(in.readInt(), in.readInt(), in.readInt(), in.readInt(), in.readInt(),
                        in.readBoolean(), in.readDouble(), in.readDouble(), in.readFloat(), in.readDouble()));
            }
            return out;
        }
    }

    private static void writeFloats(OutputStream out, float[] data, int from, int count) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(Math.min(count, 8192) * 4).order(ByteOrder.LITTLE_ENDIAN);
        int done = 0;
        while (done < count) {
            int n = Math.min(count - done, buf.capacity() / 4);
            buf.clear();
            buf.asFloatBuffer().put(data, from + done, n);
            out.write(buf.array(), 0, n * 4);
            done += n;
        }
    }

    private static void readFloats(InputStream in, float[] data, int from, int count) throws IOException {
        byte[] bytes = new byte[Math.min(count, 8192) * 4];
        int done = 0;
        while (done < count) {
            int n = Math.min(count - done, bytes.length / 4);
            int got = in.readNBytes(bytes, 0, n * 4);
            if (got != n * 4) {
                throw new EOFException("band file ends early");
            }
            ByteBuffer.wrap(bytes, 0, n * 4).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data, from + done, n);
            done += n;
        }
    }

    private static void skipFloats(InputStream in, long count) throws IOException {
        long bytes = count * 4;
        while (bytes > 0) {
            long s = in.skip(bytes);
            if (s <= 0) {
                if (in.read() < 0) {
                    throw new EOFException("band file ends early");
                }
                s = 1;
            }
            bytes -= s;
        }
    }
}
