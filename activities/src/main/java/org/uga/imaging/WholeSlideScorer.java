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
import java.util.Arrays;
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
 * blended probability and uncertainty maps as tiled pyramidal float32 TIFFs, with memory independent of the
 * slide's size.
 *
 * <p>Tiles of {@code tileSize} overlap by {@code overlap} pixels; inside the overlap each tile's weight ramps
 * linearly to its border, and every output pixel is the weighted mean of the tiles covering it, so there are no
 * seams. The tile grid is the same as for one row-major walk over the whole slide; the walk itself goes in
 * vertical <em>stripes</em> of {@code stripeWidth} columns (a multiple of the output TIFF tile size): stripe by
 * stripe, inside a stripe tile row by tile row. A scoring tile belongs to the stripe holding its origin and is
 * scored exactly once; the part of its weighted map that falls into the next stripe is saved with its tile row
 * and added there. Every pixel buffer is {@code O(stripeWidth x tileSize)}: two accumulators of {@code tileSize}
 * rows of the stripe (plus the spill into the next one) while walking, and one band of output-tile rows of the
 * stripe per map while assembling. Output tiles never straddle stripes and go to the TIFF writers by tile address.
 *
 * <p>Tiles whose tissue fraction is below {@code minTissueFraction} are not scored: they count as probability 0
 * and uncertainty 0.
 *
 * <h2>Tile order and resume contract</h2>
 *
 * Tile indices count the walk: stripe-major, then tile row, then tile column; {@code total} is the number of
 * tiles of the grid. After every tile {@link Progress#tileDone} reports {@code (tileIndex, total, resumeFrom)}
 * and after every finished tile row of a stripe once more with {@code resumeFrom} = the index of the next row's
 * first tile. The work directory obeys these rules (a helper may mirror it elsewhere, e.g. to S3, file by file):
 * <ul>
 *   <li>every durable file is written once to {@code <name>.tmp} and atomically moved to {@code <name>}; no other
 *       name ends in {@code .tmp} (leftover {@code .tmp} files are never read);</li>
 *   <li>{@code fingerprint.txt} (slide, level, grid and stripe parameters) is written before any other file;</li>
 *   <li>when {@code tileDone(..., resumeFrom)} is called, every file a retry needs to resume from tile
 *       {@code resumeFrom} already exists: {@code band-sSSSS-rRRRRRR.bin} for every (stripe, tile row) before it
 *       (final rows, the carried partial sums of the overlap below, the spill into the next stripe and the
 *       row's {@link TileScore}s);</li>
 *   <li>a retry given {@code resumeFrom} and a work directory holding those files and the same fingerprint (also a
 *       copy made on another machine) continues there and produces identical maps and scores; {@code resumeFrom = 0}
 *       or another fingerprint starts over.</li>
 * </ul>
 * The maps are written to {@code <map>.tmp} next to the requested paths and moved into place when complete.
 */
public final class WholeSlideScorer {

    /** Default stripe width before rounding up to the output tile size (and at least one scoring tile). */
    public static final int DEFAULT_STRIPE_WIDTH = 2048;

    /**
     * @param level             slide level to score at
     * @param tileSize          model input size in pixels
     * @param overlap           pixels shared by neighbouring tiles (blended), {@code 0 <= overlap < tileSize}
     * @param minTissueFraction tiles with less tissue (by the tissue mask) are skipped; 0 scores every tile
     * @param outputTileSize    TIFF tile size of the written maps (multiple of 16)
     * @param compression       TIFF compression of the maps
     * @param stripeWidth       columns walked per stripe: a multiple of {@code outputTileSize}, at least
     *                          {@code tileSize}; bounds memory (not the result)
     */
    public record Params(int level, int tileSize, int overlap, double minTissueFraction, int outputTileSize,
                         TiledTiffWriter.Compression compression, int stripeWidth) {

        public Params {
            if (level < 0 || tileSize < 8 || overlap < 0 || overlap >= tileSize) {
                throw new IllegalArgumentException("invalid scoring grid: level " + level + ", tile " + tileSize
                        + ", overlap " + overlap + " (need 0 <= overlap < tile)");
            }
            if (minTissueFraction < 0 || minTissueFraction > 1) {
                throw new IllegalArgumentException("minTissueFraction must be in [0,1], got " + minTissueFraction);
            }
            if (outputTileSize < 16 || outputTileSize % 16 != 0) {
                throw new IllegalArgumentException("outputTileSize must be a positive multiple of 16, got " + outputTileSize);
            }
            Objects.requireNonNull(compression, "compression");
            if (stripeWidth <= 0 || stripeWidth % outputTileSize != 0 || stripeWidth < tileSize) {
                throw new IllegalArgumentException("stripeWidth must be a multiple of outputTileSize " + outputTileSize
                        + " and at least tileSize " + tileSize + ", got " + stripeWidth);
            }
        }

        /** Stripes of the default width ({@link #defaultStripeWidth}). */
        public Params(int level, int tileSize, int overlap, double minTissueFraction, int outputTileSize,
                      TiledTiffWriter.Compression compression) {
            this(level, tileSize, overlap, minTissueFraction, outputTileSize, compression,
                    defaultStripeWidth(tileSize, outputTileSize));
        }

        public static Params of(int tileSize, int overlap) {
            return new Params(0, tileSize, overlap, 0.0, 256, TiledTiffWriter.Compression.DEFLATE);
        }

        /** {@link #DEFAULT_STRIPE_WIDTH}, at least {@code tileSize}, rounded up to a multiple of the output tile. */
        public static int defaultStripeWidth(int tileSize, int outputTileSize) {
            if (outputTileSize <= 0) {
                return DEFAULT_STRIPE_WIDTH; // the canonical constructor reports the bad tile size
            }
            int w = Math.max(DEFAULT_STRIPE_WIDTH, tileSize);
            return (w + outputTileSize - 1) / outputTileSize * outputTileSize;
        }

        public Params withLevel(int l) {
            return new Params(l, tileSize, overlap, minTissueFraction, outputTileSize, compression, stripeWidth);
        }

        public Params withMinTissue(double f) {
            return new Params(level, tileSize, overlap, f, outputTileSize, compression, stripeWidth);
        }

        public Params withStripeWidth(int w) {
            return new Params(level, tileSize, overlap, minTissueFraction, outputTileSize, compression, w);
        }

        String fingerprint(SlideLevel l, String slideName) {
            return "v2|" + slideName + "|" + l.width() + "x" + l.height() + "|" + level + "|" + tileSize + "|" + overlap
                    + "|" + minTissueFraction + "|stripe " + stripeWidth;
        }
    }

    /** Called after every tile: heartbeat here; {@code resumeFrom} is the tile index a retry may pass back. */
    @FunctionalInterface
    public interface Progress {
        void tileDone(int tileIndex, int totalTiles, int resumeFrom) throws Exception;
    }

    /**
     * Per-tile summary for ranking: sums and max over the tile's own (unblended) uncertainty. {@code index} is
     * the tile's position in the walk (stripe-major).
     */
    public record TileScore(int index, int x, int y, int width, int height, boolean scored, double tissueFraction,
                            double uncertaintySum, float uncertaintyMax, double meanProbability) {
    }

    /**
     * Where the maps went and what was done; {@code tilesResumed} tiles came from an earlier attempt; {@code tiles}
     * in walk order.
     */
    public record Result(int width, int height, int tilesTotal, int tilesScored, int tilesSkipped, int tilesResumed,
                         Path probabilityTiff, Path uncertaintyTiff, List<TileScore> tiles) {
    }

    private static final int BAND_MAGIC = 0x55474132; // "UGA2"
    private static final String FINGERPRINT = "fingerprint.txt";
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
     * The scoring grid cut into stripes. Stripe {@code s} covers columns {@code [start(s), end(s))}, owns the tile
     * columns {@code [firstCol[s], firstCol[s+1])} (origin inside it) and receives {@code spill[s-1]} columns of
     * weighted sums from the tiles of stripe {@code s-1} that reach into it.
     */
    private static final class Grid {
        final int width;
        final int height;
        final int tile;
        final int overlap;
        final int stripeWidth;
        final int[] xs;
        final int[] ys;
        final int stripes;
        final int[] firstCol;
        final int[] spill;
        final float[][] ramps = new float[4][];

        Grid(int width, int height, int tile, int overlap, int stripeWidth) {
            this.width = width;
            this.height = height;
            this.tile = tile;
            this.overlap = overlap;
            this.stripeWidth = stripeWidth;
            int stride = tile - overlap;
            xs = positions(width, tile, stride);
            ys = positions(height, tile, stride);
            stripes = (width + stripeWidth - 1) / stripeWidth;
            firstCol = new int[stripes + 1];
            spill = new int[stripes];
            int c = 0;
            for (int s = 0; s < stripes; s++) {
                firstCol[s] = c;
                int reach = end(s);
                while (c < xs.length && xs[c] < end(s)) {
                    reach = Math.max(reach, Math.min(xs[c] + tile, width));
                    c++;
                }
                // stripeWidth >= tile: a tile never reaches past the next stripe.
                spill[s] = reach - end(s);
            }
            firstCol[stripes] = xs.length;
        }

        int start(int s) {
            return s * stripeWidth;
        }

        int end(int s) {
            return Math.min(width, (s + 1) * stripeWidth);
        }

        int down() {
            return ys.length;
        }

        int total() {
            return xs.length * ys.length;
        }

        /** Tile columns owned by stripe {@code s}. */
        int owned(int s) {
            return firstCol[s + 1] - firstCol[s];
        }

        /** Walk index of the first tile of (stripe, tile row); {@code (stripes, 0)} = total. */
        int startIndex(int s, int r) {
            return s == stripes ? total() : firstCol[s] * down() + r * owned(s);
        }

        float[] rampX(int c) {
            return rampFor(c, xs.length);
        }

        float[] rampY(int r) {
            return rampFor(r, ys.length);
        }

        private float[] rampFor(int i, int count) {
            int k = (i > 0 ? 1 : 0) | (i < count - 1 ? 2 : 0);
            if (ramps[k] == null) {
                ramps[k] = ramp(tile, overlap, i > 0, i < count - 1);
            }
            return ramps[k];
        }

        /** Column weight sums over {@code [from, to)}, added in tile-column order (as a single walk would). */
        float[] columnSums(int from, int to) {
            return axisSums(xs, from, to, width, true);
        }

        /** Row weight sums over {@code [from, to)}. */
        float[] rowSums(int from, int to) {
            return axisSums(ys, from, to, height, false);
        }

        private float[] axisSums(int[] pos, int from, int to, int length, boolean columns) {
            float[] sum = new float[to - from];
            for (int c = 0; c < pos.length && pos[c] < to; c++) {
                if (pos[c] + tile <= from) {
                    continue;
                }
                float[] w = columns ? rampX(c) : rampY(c);
                for (int i = Math.max(0, from - pos[c]); i < tile && pos[c] + i < Math.min(to, length); i++) {
                    sum[pos[c] + i - from] += w[i];
                }
            }
            return sum;
        }
    }

    /**
     * Scores the slide. {@code tissue} may be null (score everything). Band files live in {@code workDir};
     * the maps are written to {@code probabilityTiff} and {@code uncertaintyTiff}.
     */
    public Result score(SlideReader slide, TissueMask tissue, Function<Tile, UncertaintyMap> perTile, Path workDir,
                        Path probabilityTiff, Path uncertaintyTiff, int resumeFromTile, Progress progress) throws Exception {
        SlideLevel level = slide.info().level(params.level());
        int t = params.tileSize();
        Grid g = new Grid(level.width(), level.height(), t, params.overlap(), params.stripeWidth());
        int down = g.down();
        Files.createDirectories(workDir);

        String fingerprint = params.fingerprint(level, slide.info().name());
        List<TileScore> scores = new ArrayList<>();
        int startStep = resumableStep(workDir, fingerprint, g, resumeFromTile, scores);
        int resumed = startOfStep(g, startStep);

        int accRows = Math.min(t, g.height);
        int accWidth = Math.min(g.stripeWidth, g.width) + t; // stripe columns + the spill into the next stripe
        float[] accP = new float[accRows * accWidth];
        float[] accU = new float[accRows * accWidth];
        int scored = 0;
        int skipped = 0;
        for (int step = startStep; step < g.stripes * down; step++) {
            int s = step / down;
            int r = step % down;
            int x0s = g.start(s);
            int sw = g.end(s) - x0s;
            int stride = sw + g.spill[s]; // row stride of the accumulators in this stripe
            if (r == 0 || step == startStep) {
                Arrays.fill(accP, 0f);
                Arrays.fill(accU, 0f);
                if (r > 0) {
                    readCarry(workDir, g, s, r - 1, accP, accU, stride);
                }
            }
            int y0 = g.ys[r];
            int th = Math.min(t, g.height - y0);
            if (s > 0 && g.spill[s - 1] > 0) {
                addSpill(workDir, g, s - 1, r, accP, accU, stride);
            }
            int rowStart = g.startIndex(s, r);
            List<TileScore> rowScores = new ArrayList<>();
            for (int c = g.firstCol[s]; c < g.firstCol[s + 1]; c++) {
                int x0 = g.xs[c];
                int index = rowStart + c - g.firstCol[s];
                int tw = Math.min(t, g.width - x0);
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
                    accumulate(map, accP, accU, stride, x0 - x0s, tw, th, g.rampX(c), g.rampY(r));
                    scored++;
                    rowScores.add(summary(index, x0, y0, tw, th, tissueFraction, map));
                }
                if (progress != null) {
                    progress.tileDone(index, g.total(), rowStart);
                }
            }
            // Rows above the next tile row's origin are final.
            int finalEnd = r + 1 < down ? g.ys[r + 1] : g.height;
            writeBand(workDir, fingerprint, g, s, r, rowScores, accP, accU, stride, finalEnd);
            scores.addAll(rowScores);
            shift(accP, accU, stride, sw, finalEnd - y0, accRows);
            if (progress != null) {
                int next = r + 1 < down ? g.startIndex(s, r + 1) : g.startIndex(s + 1, 0);
                progress.tileDone(next - 1, g.total(), next);
            }
        }
        assemble(workDir, g, probabilityTiff, uncertaintyTiff);
        return new Result(g.width, g.height, g.total(), scored, skipped, resumed, probabilityTiff, uncertaintyTiff,
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

    /** Adds a tile's weighted maps at column {@code col} of the accumulators (row 0 = the tile row's origin). */
    private static void accumulate(UncertaintyMap map, float[] accP, float[] accU, int stride, int col,
                                   int tw, int th, float[] wx, float[] wy) {
        float[] p = map.probability();
        float[] u = map.uncertainty();
        int t = map.width();
        for (int yy = 0; yy < th; yy++) {
            int row = yy * stride + col;
            float wyv = wy[yy];
            for (int xx = 0; xx < tw; xx++) {
                float w = wx[xx] * wyv;
                accP[row + xx] += w * p[yy * t + xx];
                accU[row + xx] += w * u[yy * t + xx];
            }
        }
    }

    /**
     * Moves the accumulator rows from {@code by} on to the top and clears the rest; the spill columns (from
     * {@code sw} on) were saved with the band and start from zero for the next tile row.
     */
    private static void shift(float[] accP, float[] accU, int stride, int sw, int by, int accRows) {
        for (float[] acc : new float[][] {accP, accU}) {
            for (int row = 0; row < accRows; row++) {
                int src = row + by;
                if (src < accRows) {
                    System.arraycopy(acc, src * stride, acc, row * stride, sw);
                    Arrays.fill(acc, row * stride + sw, (row + 1) * stride, 0f);
                } else {
                    Arrays.fill(acc, row * stride, (row + 1) * stride, 0f);
                }
            }
        }
    }

    // --- band files ---------------------------------------------------------------------------------------------

    static String bandName(int stripe, int row) {
        return String.format("band-s%04d-r%06d.bin", stripe, row);
    }

    /**
     * First step (stripe * rows + row) to compute: the latest tile-row start at or before {@code resumeFrom} up to
     * which every band file is present and readable; their scores are added to {@code scores}. Starts over
     * (deleting old band files) when {@code resumeFrom <= 0} or the fingerprint differs.
     */
    private static int resumableStep(Path workDir, String fingerprint, Grid g, int resumeFrom, List<TileScore> scores)
            throws IOException {
        Path fp = workDir.resolve(FINGERPRINT);
        boolean same = Files.exists(fp) && Files.readString(fp).equals(fingerprint);
        if (!same || resumeFrom <= 0) {
            try (Stream<Path> old = Files.list(workDir)) {
                for (Path p : (Iterable<Path>) old::iterator) {
                    String n = p.getFileName().toString();
                    if (n.startsWith("band-") || n.startsWith("scores-")) {
                        Files.delete(p);
                    }
                }
            }
            if (!same) {
                writeAtomically(workDir, FINGERPRINT, out -> out.write(fingerprint.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            }
            return 0;
        }
        int steps = g.stripes * g.down();
        int step = 0;
        while (step < steps && startOfStep(g, step + 1) <= resumeFrom) {
            Path band = workDir.resolve(bandName(step / g.down(), step % g.down()));
            if (!Files.exists(band)) {
                break;
            }
            try (DataInputStream in = openBand(band)) {
                scores.addAll(readHeaderAndScores(in, band, g, step / g.down(), step % g.down()).scores());
            } catch (IOException e) {
                break; // unreadable (e.g. cut short by a copy): recompute from here
            }
            step++;
        }
        return step;
    }

    private static int startOfStep(Grid g, int step) {
        int s = step / g.down();
        return g.startIndex(s, step % g.down());
    }

    @FunctionalInterface
    private interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /** The resume contract: written to {@code name.tmp}, then atomically renamed. */
    private static void writeAtomically(Path workDir, String name, Writer writer) throws IOException {
        Path tmp = workDir.resolve(name + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            writer.write(out);
        }
        Files.move(tmp, workDir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Band file of (stripe, tile row), Deflate: header, the row's tile scores, the raw spill {@code th x spill}
     * into the next stripe (probability, then uncertainty), the raw accumulator rows {@code [finalEnd, y0 + th)} of
     * the stripe's columns that the next tile row keeps adding to, and the final rows {@code [y0, finalEnd)}
     * (probability and uncertainty interleaved per row, normalised).
     */
    private static void writeBand(Path workDir, String fingerprint, Grid g, int s, int r, List<TileScore> rowScores,
                                  float[] accP, float[] accU, int stride, int finalEnd) throws IOException {
        int x0s = g.start(s);
        int sw = g.end(s) - x0s;
        int y0 = g.ys[r];
        int accEnd = Math.min(y0 + g.tile, g.height);
        int spill = g.spill[s];
        float[] colSum = g.columnSums(x0s, g.end(s));
        float[] rowSum = g.rowSums(y0, finalEnd);
        writeAtomically(workDir, bandName(s, r), file -> {
            Deflater deflater = new Deflater(1);
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
                    new DeflaterOutputStream(file, deflater, 1 << 16), 1 << 16))) {
                out.writeInt(BAND_MAGIC);
                out.writeInt(fingerprint.hashCode());
                out.writeInt(s);
                out.writeInt(r);
                out.writeInt(x0s);
                out.writeInt(sw);
                out.writeInt(y0);
                out.writeInt(finalEnd);
                out.writeInt(accEnd);
                out.writeInt(spill);
                writeScores(out, rowScores);
                // Spill and carry first: the next stripe and the next tile row read only those.
                for (float[] acc : new float[][] {accP, accU}) {
                    for (int y = y0; y < accEnd; y++) {
                        writeFloats(out, acc, (y - y0) * stride + sw, spill);
                    }
                }
                for (float[] acc : new float[][] {accP, accU}) {
                    for (int y = finalEnd; y < accEnd; y++) {
                        writeFloats(out, acc, (y - y0) * stride, sw);
                    }
                }
                float[] line = new float[sw];
                for (int y = y0; y < finalEnd; y++) {
                    int base = (y - y0) * stride;
                    float wy = rowSum[y - y0];
                    for (float[] acc : new float[][] {accP, accU}) {
                        for (int x = 0; x < sw; x++) {
                            line[x] = acc[base + x] / (colSum[x] * wy);
                        }
                        writeFloats(out, line, 0, sw);
                    }
                }
            } finally {
                deflater.end();
            }
        });
    }

    /** A band file's header, validated against the grid. */
    private record BandHeader(int x0, int sw, int y0, int finalEnd, int accEnd, int spill, List<TileScore> scores) {
    }

    private static DataInputStream openBand(Path band) throws IOException {
        return new DataInputStream(new BufferedInputStream(new InflaterInputStream(Files.newInputStream(band)), 1 << 16));
    }

    private static BandHeader readHeaderAndScores(DataInputStream in, Path band, Grid g, int s, int r) throws IOException {
        if (in.readInt() != BAND_MAGIC) {
            throw new IOException(band + " is not a scoring band file");
        }
        in.readInt(); // fingerprint hash: the work directory's fingerprint.txt is authoritative
        int fs = in.readInt();
        int fr = in.readInt();
        BandHeader h = new BandHeader(in.readInt(), in.readInt(), in.readInt(), in.readInt(), in.readInt(), in.readInt(),
                readScores(in));
        int finalEnd = r + 1 < g.down() ? g.ys[r + 1] : g.height;
        if (fs != s || fr != r || h.x0() != g.start(s) || h.sw() != g.end(s) - g.start(s) || h.y0() != g.ys[r]
                || h.finalEnd() != finalEnd || h.accEnd() != Math.min(g.ys[r] + g.tile, g.height) || h.spill() != g.spill[s]) {
            throw new IOException(band + " does not match stripe " + s + ", tile row " + r + " of this grid");
        }
        return h;
    }

    /** Loads the carried partial sums of band (s, r) into the top rows of the accumulators. */
    private static void readCarry(Path workDir, Grid g, int s, int r, float[] accP, float[] accU, int stride)
            throws IOException {
        Path band = workDir.resolve(bandName(s, r));
        try (DataInputStream in = openBand(band)) {
            BandHeader h = readHeaderAndScores(in, band, g, s, r);
            skipFloats(in, 2L * (h.accEnd() - h.y0()) * h.spill());
            for (float[] acc : new float[][] {accP, accU}) {
                for (int y = h.finalEnd(); y < h.accEnd(); y++) {
                    readFloats(in, acc, (y - h.finalEnd()) * stride, h.sw());
                }
            }
        }
    }

    /**
     * Adds the spill of band (s, r) (the weighted maps of stripe {@code s}'s tiles in row {@code r} that reach
     * into stripe {@code s + 1}) to the first columns of stripe {@code s + 1}'s accumulators.
     */
    private static void addSpill(Path workDir, Grid g, int s, int r, float[] accP, float[] accU, int stride)
            throws IOException {
        Path band = workDir.resolve(bandName(s, r));
        try (DataInputStream in = openBand(band)) {
            BandHeader h = readHeaderAndScores(in, band, g, s, r);
            float[] line = new float[h.spill()];
            for (float[] acc : new float[][] {accP, accU}) {
                for (int y = h.y0(); y < h.accEnd(); y++) {
                    readFloats(in, line, 0, line.length);
                    int base = (y - h.y0()) * stride;
                    for (int i = 0; i < line.length; i++) {
                        acc[base + i] += line[i];
                    }
                }
            }
        }
    }

    /**
     * Streams every stripe's final rows into the two TIFF writers by tile address, one band of output-tile rows
     * of the stripe at a time; the TIFFs are written as {@code <name>.tmp} and moved into place when complete.
     */
    private void assemble(Path workDir, Grid g, Path probTiff, Path uncTiff) throws IOException {
        int ot = params.outputTileSize();
        TiledTiffWriter.Spec spec = TiledTiffWriter.Spec.float32(g.width, g.height, ot)
                .withCompression(params.compression());
        Path pTmp = probTiff.resolveSibling(probTiff.getFileName() + ".tmp");
        Path uTmp = uncTiff.resolveSibling(uncTiff.getFileName() + ".tmp");
        boolean done = false;
        try {
            try (TiledTiffWriter pw = TiledTiffWriter.create(pTmp, spec.withDescription("UGA foreground probability"));
                 TiledTiffWriter uw = TiledTiffWriter.create(uTmp, spec.withDescription("UGA uncertainty"))) {
                int bandStride = Math.min(g.stripeWidth, g.width);
                float[] bandP = new float[ot * bandStride];
                float[] bandU = new float[ot * bandStride];
                float[] tile = new float[ot * ot];
                for (int s = 0; s < g.stripes; s++) {
                    int sw = g.end(s) - g.start(s);
                    int filled = 0;
                    int tileRow = 0;
                    for (int r = 0; r < g.down(); r++) {
                        Path band = workDir.resolve(bandName(s, r));
                        try (DataInputStream in = openBand(band)) {
                            BandHeader h = readHeaderAndScores(in, band, g, s, r);
                            skipFloats(in, 2L * (h.accEnd() - h.y0()) * h.spill() + 2L * (h.accEnd() - h.finalEnd()) * h.sw());
                            for (int y = h.y0(); y < h.finalEnd(); y++) {
                                readFloats(in, bandP, filled * bandStride, sw);
                                readFloats(in, bandU, filled * bandStride, sw);
                                filled++;
                                if (filled == ot || y == g.height - 1) {
                                    int txBase = g.start(s) / ot;
                                    for (int tx = 0; tx * ot < sw; tx++) {
                                        int cols = Math.min(ot, sw - tx * ot);
                                        pw.writeTile(txBase + tx, tileRow, cut(bandP, bandStride, tx * ot, cols, filled, tile, ot));
                                        uw.writeTile(txBase + tx, tileRow, cut(bandU, bandStride, tx * ot, cols, filled, tile, ot));
                                    }
                                    tileRow++;
                                    filled = 0;
                                }
                            }
                        }
                    }
                }
                pw.finish();
                uw.finish();
            }
            Files.move(pTmp, probTiff, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.move(uTmp, uncTiff, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(pTmp);
                Files.deleteIfExists(uTmp);
            }
        }
    }

    /** Copies {@code rows x cols} of a band (from column {@code x}) into a tile buffer (row stride {@code ot}). */
    private static float[] cut(float[] band, int bandStride, int x, int cols, int rows, float[] tile, int ot) {
        for (int j = 0; j < rows; j++) {
            System.arraycopy(band, j * bandStride + x, tile, j * ot, cols);
        }
        return tile;
    }

    private static void writeScores(DataOutputStream out, List<TileScore> scores) throws IOException {
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

    private static List<TileScore> readScores(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 1_000_000) {
            throw new IOException("band file claims " + n + " tile scores");
        }
        List<TileScore> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new TileScore(in.readInt(), in.readInt(), in.readInt(), in.readInt(), in.readInt(),
                    in.readBoolean(), in.readDouble(), in.readDouble(), in.readFloat(), in.readDouble()));
        }
        return out;
    }

    private static void writeFloats(OutputStream out, float[] data, int from, int count) throws IOException {
        if (count == 0) {
            return;
        }
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
        if (count == 0) {
            return;
        }
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
