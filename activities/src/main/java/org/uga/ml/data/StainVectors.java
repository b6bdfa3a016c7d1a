package org.uga.ml.data;

/**
 * Stain colour model for H&amp;E in optical density (OD) space, after Ruifrok &amp; Johnston (2001): a pixel's OD
 * vector {@code -log10(I / I0)} is {@code cH * H + cE * E + cD * D} with unit stain vectors H (hematoxylin),
 * E (eosin) and a residual D orthogonal to both.
 *
 * @param h unit hematoxylin OD vector (R, G, B)
 * @param e unit eosin OD vector
 * @param d unit residual vector, {@code h x e} normalised
 */
public record StainVectors(double[] h, double[] e, double[] d) {

    /** Ruifrok–Johnston H&amp;E vectors (normalised): H = [0.65,0.70,0.29], E = [0.07,0.99,0.11]. */
    public static final StainVectors RUIFROK = of(new double[] {0.65, 0.70, 0.29}, new double[] {0.07, 0.99, 0.11});

    public static StainVectors of(double[] h, double[] e) {
        double[] hn = normalize(h);
        double[] en = normalize(e);
        return new StainVectors(hn, en, normalize(cross(hn, en)));
    }

    /** Both stain vectors rotated by {@code degrees} about the gray axis (1,1,1): a hue shift in OD space. */
    public StainVectors rotatedAboutGray(double degrees) {
        double[] axis = normalize(new double[] {1, 1, 1});
        return of(rotate(h, axis, Math.toRadians(degrees)), rotate(e, axis, Math.toRadians(degrees)));
    }

    /** OD of the given concentrations. */
    public void od(double cH, double cE, double cD, double[] out) {
        for (int c = 0; c < 3; c++) {
            out[c] = cH * h[c] + cE * e[c] + cD * d[c];
        }
    }

    /**
     * The inverse of the stain matrix [H; E; D] (rows), so that concentrations = od · inverse. Row-major 3x3:
     * {@code conc[j] = sum_c od[c] * inv[c * 3 + j]}.
     */
    public double[] inverse() {
        double[][] m = {h, e, d}; // m[j][c]: OD channel c of stain j; od = conc · m
        double det = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
                - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
                + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
        if (Math.abs(det) < 1e-12) {
            throw new IllegalStateException("stain vectors are linearly dependent");
        }
        double[] inv = new double[9];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                int r1 = (c + 1) % 3;
                int r2 = (c + 2) % 3;
                int c1 = (r + 1) % 3;
                int c2 = (r + 2) % 3;
                // adjugate: inv[r][c] = cofactor(c, r) / det
                inv[r * 3 + c] = (m[r1][c1] * m[r2][c2] - m[r1][c2] * m[r2][c1]) / det;
            }
        }
        return inv;
    }

    static double[] normalize(double[] v) {
        double n = Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
        if (n == 0) {
            throw new IllegalArgumentException("zero stain vector");
        }
        return new double[] {v[0] / n, v[1] / n, v[2] / n};
    }

    static double[] cross(double[] a, double[] b) {
        return new double[] {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
    }

    /** Rodrigues' rotation of v about the unit axis k. */
    static double[] rotate(double[] v, double[] k, double angle) {
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        double[] kxv = cross(k, v);
        double kv = k[0] * v[0] + k[1] * v[1] + k[2] * v[2];
        double[] out = new double[3];
        for (int i = 0; i < 3; i++) {
            out[i] = v[i] * cos + kxv[i] * sin + k[i] * kv * (1 - cos);
        }
        return out;
    }
}
