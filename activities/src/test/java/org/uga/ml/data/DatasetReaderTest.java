package org.uga.ml.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetReaderTest {

    @TempDir
    Path dir;

    /** A valid set: two central and one local tile of 32x24. */
    private Path validSet() throws IOException {
        Dataset ds = HeGenerator.generate(2, 32, 24, "central", HeGenerator.StainShift.NONE, 1)
                .concat(HeGenerator.generate(1, 32, 24, "local", HeGenerator.StainShift.LOCAL_DEFAULT, 1), "x");
        HeGenerator.writeDataset(ds, dir);
        return dir;
    }

    private static String message(Path set) {
        return assertThrows(DatasetException.class, () -> DatasetReader.read(set)).getMessage();
    }

    @Test
    void readsAValidSetSortedById() throws IOException {
        Dataset ds = DatasetReader.read(validSet());
        assertEquals(3, ds.size());
        assertEquals("central-0000", ds.tiles().get(0).id());
        assertEquals("local-0000", ds.tiles().get(2).id());
        assertEquals(java.util.Set.of("central", "local"), ds.domains());
        assertTrue(ds.tiles().stream().allMatch(Tile::hasMask));
        assertEquals(1, DatasetReader.read(dir, "local").size());
        String msg = assertThrows(DatasetException.class, () -> DatasetReader.read(dir, "remote")).getMessage();
        assertTrue(msg.contains("remote") && msg.contains("central"), msg);
    }

    @Test
    void missingMask() throws IOException {
        Files.delete(validSet().resolve("masks/central-0001.png"));
        String msg = message(dir);
        assertTrue(msg.contains("missing mask") && msg.contains("central-0001.png"), msg);
        // an unlabeled pool may lack masks
        Dataset pool = DatasetReader.read(dir, null, false);
        assertNull(pool.tile("central-0001").orElseThrow().mask());
    }

    @Test
    void sizeMismatch() throws IOException {
        validSet();
        Images.writeMaskPng(new byte[10 * 10], 10, 10, dir.resolve("masks/local-0000.png"));
        String msg = message(dir);
        assertTrue(msg.contains("size mismatch") && msg.contains("local-0000.png") && msg.contains("10x10")
                && msg.contains("32x24"), msg);
    }

    @Test
    void nonBinaryMask() throws IOException {
        validSet();
        BufferedImage m = new BufferedImage(32, 24, BufferedImage.TYPE_BYTE_GRAY);
        m.getRaster().setSample(3, 4, 0, 77);
        Images.writePng(m, dir.resolve("masks/central-0000.png"));
        String msg = message(dir);
        assertTrue(msg.contains("central-0000.png") && msg.contains("77") && msg.contains("(3,4)"), msg);
    }

    @Test
    void manifestIdWithoutImage() throws IOException {
        validSet();
        Files.writeString(dir.resolve("manifest.csv"), "ghost,1,1,0,0,0,0,0,central\n",
                java.nio.file.StandardOpenOption.APPEND);
        String msg = message(dir);
        assertTrue(msg.contains("manifest.csv") && msg.contains("ghost"), msg);
    }

    @Test
    void imageWithoutManifestRowAndManifestWithoutIdColumn() throws IOException {
        validSet();
        Files.copy(dir.resolve("images/local-0000.png"), dir.resolve("images/extra.png"));
        Files.copy(dir.resolve("masks/local-0000.png"), dir.resolve("masks/extra.png"));
        String msg = message(dir);
        assertTrue(msg.contains("extra.png") && msg.contains("manifest"), msg);
        Files.writeString(dir.resolve("manifest.csv"), "name,domain\nx,central\n");
        msg = message(dir);
        assertTrue(msg.contains("'id'"), msg);
    }

    @Test
    void noManifestMeansDefaultDomainAndQuotedCsvWorks() throws IOException {
        validSet();
        Files.delete(dir.resolve("manifest.csv"));
        Dataset ds = DatasetReader.read(dir);
        assertEquals(java.util.Set.of(DatasetReader.DEFAULT_DOMAIN), ds.domains());
        Files.writeString(dir.resolve("manifest.csv"), "\"domain\",note,id\n"
                + "central,\"a, b\",central-0000\ncentral,x,central-0001\n\"lo\"\"cal\",y,local-0000\n");
        ds = DatasetReader.read(dir);
        assertEquals("lo\"cal", ds.tile("local-0000").orElseThrow().domain());
    }

    @Test
    void missingFoldersAreNamed() {
        String msg = message(dir.resolve("nope"));
        assertTrue(msg.contains("nope"), msg);
        msg = message(dir);
        assertTrue(msg.contains("images/"), msg);
    }

    @Test
    void specParsesDomainSuffix() {
        DatasetSpec s = DatasetSpec.parse("../shared/data/dsb2018-he:local");
        assertEquals(Path.of("../shared/data/dsb2018-he"), s.dir());
        assertEquals("local", s.domain());
        DatasetSpec plain = DatasetSpec.parse("/data/set");
        assertNull(plain.domain());
        assertEquals(Path.of("/data/set"), plain.dir());
        assertNull(DatasetSpec.parse("/data/a:b/set").domain()); // ':' inside the path is not a domain
        assertThrows(IllegalArgumentException.class, () -> DatasetSpec.parse("dir:"));
        assertThrows(IllegalArgumentException.class, () -> DatasetSpec.parse(" "));
    }

    @Test
    void readsTheRealDsb2018HeSetWhenPresent() {
        String shared = System.getProperty("uga.shared.data");
        Assumptions.assumeTrue(shared != null, "uga.shared.data not set");
        Path set = Path.of(shared, "dsb2018-he");
        Assumptions.assumeTrue(Files.isDirectory(set), "no " + set);
        Dataset ds = DatasetReader.read(set);
        assertEquals(107, ds.size());
        assertEquals(55, ds.byDomain("central").size());
        assertEquals(52, ds.byDomain("local").size());
        for (Tile t : ds.tiles()) {
            assertEquals(320, t.width());
            assertEquals(256, t.height());
            double fg = MaskStats.foregroundFraction(t.mask());
            assertTrue(fg > 0 && fg < 1, t.id() + " foreground " + fg);
        }
        assertEquals(52, DatasetSpec.parse(set + ":local").read().size());
    }
}
