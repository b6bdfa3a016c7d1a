package org.uga.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.uga.ml.data.Dataset;
import org.uga.ml.data.HeGenerator;
import org.uga.ml.data.HeGenerator.StainShift;

/** {@code uga generate}: writes a synthetic H&amp;E dataset (central + shifted local domain) in the reader's layout. */
public final class GenerateCommand implements Command {

    @Override
    public String summary() {
        return "write a synthetic H&E dataset (central + stain-shifted local tiles) with exact masks";
    }

    @Override
    public String usage() {
        return """
                Usage: uga generate --out DIR [--central N] [--local N] [--size PX | --width PX --height PX] [--seed S]
                                    [--shift ROT,HSCALE,ESCALE,BRIGHTNESS,BLUR]

                Writes DIR/images/<id>.png, DIR/masks/<id>.png (0/255) and DIR/manifest.csv (domain column
                central/local), readable as DIR, DIR:central or DIR:local.

                  --out DIR        output folder (must be empty or absent)
                  --central N      tiles of the central domain (default 40)
                  --local N        tiles of the local domain (default 40)
                  --size PX        square tile side (default 256); or --width/--height
                  --seed S         random seed (default 7); same seed = same pixels
                  --shift ...      the local domain's stain shift: stain-vector rotation in degrees, hematoxylin
                                   scale, eosin scale, illumination, extra blur sigma (default 20,0.7,1.35,0.94,1.1)
                """;
    }

    @Override
    public int run(Args args) throws Exception {
        Path out = Path.of(args.require("out"));
        int central = args.getInt("central", 40);
        int local = args.getInt("local", 40);
        int size = args.getInt("size", 256);
        int width = args.getInt("width", size);
        int height = args.getInt("height", size);
        long seed = args.getLong("seed", 7);
        StainShift shift = parseShift(args.get("shift", null));
        args.rejectUnknown();
        if (central < 0 || local < 0 || central + local == 0) {
            throw new Args.UsageException("--central and --local must be >= 0 and not both 0");
        }
        if (width < 16 || height < 16 || width > 4096 || height > 4096) {
            throw new Args.UsageException("tile size must be between 16 and 4096 pixels, got " + width + "x" + height);
        }
        if (Files.isDirectory(out)) {
            try (var s = Files.list(out)) {
                if (s.findAny().isPresent()) {
                    throw new Args.UsageException("--out " + out + " is not empty");
                }
            }
        } else if (Files.exists(out)) {
            throw new Args.UsageException("--out " + out + " exists and is not a folder");
        }
        long t0 = System.nanoTime();
        Dataset c = HeGenerator.generate(central, width, height, HeGenerator.CENTRAL, StainShift.NONE, seed);
        Dataset l = HeGenerator.generate(local, width, height, HeGenerator.LOCAL, shift, seed);
        HeGenerator.writeDataset(c.concat(l, "synthetic-he"), out);
        System.out.printf("wrote %d central + %d local tiles of %dx%d to %s in %.1f s%n", central, local, width, height,
                out, (System.nanoTime() - t0) / 1e9);
        return 0;
    }

    static StainShift parseShift(String text) {
        if (text == null) {
            return StainShift.LOCAL_DEFAULT;
        }
        String[] p = text.split(",");
        if (p.length != 5) {
            throw new Args.UsageException("--shift expects 5 comma-separated numbers ROT,HSCALE,ESCALE,BRIGHTNESS,BLUR, got '"
                    + text + "'");
        }
        try {
            return new StainShift(Double.parseDouble(p[0]), Double.parseDouble(p[1]), Double.parseDouble(p[2]),
                    Double.parseDouble(p[3]), Double.parseDouble(p[4]));
        } catch (NumberFormatException e) {
            throw new Args.UsageException("--shift has a non-number in '" + text + "'");
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException(e.getMessage());
        }
    }
}
