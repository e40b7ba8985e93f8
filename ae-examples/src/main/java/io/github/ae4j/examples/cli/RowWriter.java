package io.github.ae4j.examples.cli;

import io.github.ae4j.anomaly.AnomalyDetector;
import io.github.ae4j.anomaly.Detection;
import io.github.ae4j.anomaly.Explanation;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The row format of the commands that score ({@code score}, and the streaming and serving commands): one line
 * per row, CSV with a header or JSON Lines, with the row's score, flag, p-value, id and label, and optionally the
 * parts that carry most of its score.
 *
 * <p>CSV columns: {@code row,score,anomaly,p_value[,id][,label][,explain_1,share_1,...]}. JSON Lines: one object per
 * row with the keys {@code row, score, anomaly, p_value}, then {@code id}, {@code label} and {@code explanation}
 * (a list of {@code {"part": NAME, "share": S}}, largest first) where present. A share is the part's fraction of
 * the row's summed contributions; parts are the columns of a table and, for images, regions of the image.
 */
final class RowWriter {

    /** Output formats. */
    enum Format {
        /** CSV with a header line. */
        CSV,
        /** JSON Lines: one JSON object per line. */
        JSON
    }

    /** One part of a row's explanation. */
    record Part(String name, double share) {
    }

    /** One JSON object per line: Jackson's writer without indentation. */
    private static final com.fasterxml.jackson.databind.ObjectWriter JSON = io.github.ae4j.core.io.Json.MAPPER.writer()
            .without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);

    private final Writer w;
    private final Format format;
    private final boolean ids;
    private final boolean labels;
    private final int explain;

    RowWriter(Writer w, Format format, boolean ids, boolean labels, int explain) {
        this.w = w;
        this.format = format;
        this.ids = ids;
        this.labels = labels;
        this.explain = explain;
    }

    /** Writes the CSV header (nothing for JSON Lines). */
    void header() throws IOException {
        if (format != Format.CSV) {
            return;
        }
        StringBuilder sb = new StringBuilder("row,score,anomaly,p_value");
        if (ids) {
            sb.append(",id");
        }
        if (labels) {
            sb.append(",label");
        }
        for (int k = 1; k <= explain; k++) {
            sb.append(",explain_").append(k).append(",share_").append(k);
        }
        w.write(sb.append('\n').toString());
    }

    /**
     * Scores a batch and writes its rows.
     *
     * @param det      the detector
     * @param x        raw rows
     * @param first    the data row number of the first row
     * @param idCol    ids per row, or null
     * @param labelCol labels per row, or null
     * @param image    the image shape {h, w, c} for image rows (regions are explained), or null
     * @return what the detector said
     * @throws IOException on a write failure
     */
    Detection write(AnomalyDetector det, INDArray x, long first, String[] idCol, int[] labelCol, int[] image)
            throws IOException {
        Detection r = det.detect(x, explain > 0 && image == null ? explain : 0);
        writeRows(r, parts(det, x, r, image), first, idCol, labelCol);
        return r;
    }

    /**
     * Writes rows already scored (e.g. the points of a series scored by a window model), without
     * explanations.
     *
     * @param r        what the detector said
     * @param first    the data row number of the first row
     * @param idCol    ids per row, or null
     * @param labelCol labels per row, or null
     * @throws IOException on a write failure
     */
    void write(Detection r, long first, String[] idCol, int[] labelCol) throws IOException {
        if (explain > 0) {
            throw new IllegalStateException("this writer explains rows: use write(detector, rows, ...)");
        }
        writeRows(r, null, first, idCol, labelCol);
    }

    private void writeRows(Detection r, List<List<Part>> parts, long first, String[] idCol, int[] labelCol)
            throws IOException {
        StringBuilder sb = new StringBuilder(128);
        for (int i = 0; i < r.rows(); i++) {
            sb.setLength(0);
            if (format == Format.CSV) {
                sb.append(first + i).append(',').append(r.scores()[i]).append(',').append(r.flags()[i]).append(',')
                        .append(r.pValues()[i]);
                if (ids) {
                    sb.append(',').append(Outputs.csvCell(idCol == null ? null : idCol[i]));
                }
                if (labels) {
                    sb.append(',').append(labelCol == null ? "" : Integer.toString(labelCol[i]));
                }
                for (int k = 0; k < explain; k++) {
                    List<Part> p = parts.get(i);
                    if (k < p.size()) {
                        sb.append(',').append(Outputs.csvCell(p.get(k).name())).append(',')
                                .append(String.format(Locale.ROOT, "%.4f", p.get(k).share()));
                    } else {
                        sb.append(",,");
                    }
                }
            } else {
                java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
                m.put("row", first + i);
                m.put("score", finite(r.scores()[i]));
                m.put("anomaly", r.flags()[i]);
                m.put("p_value", finite(r.pValues()[i]));
                if (ids) {
                    m.put("id", idCol == null ? null : idCol[i]);
                }
                if (labels) {
                    m.put("label", labelCol == null ? null : labelCol[i]);
                }
                if (explain > 0) {
                    List<java.util.Map<String, Object>> e = new ArrayList<>();
                    for (Part p : parts.get(i)) {
                        java.util.Map<String, Object> part = new java.util.LinkedHashMap<>();
                        part.put("part", p.name());
                        part.put("share", Math.round(p.share() * 1e4) / 1e4);
                        e.add(part);
                    }
                    m.put("explanation", e);
                }
                sb.append(JSON.writeValueAsString(m));
            }
            w.write(sb.append('\n').toString());
        }
    }

    /**
     * The explanation parts of scored rows: the detector's explanations for tables, regions for images.
     *
     * @param det   the detector
     * @param x     the rows
     * @param r     what {@code det.detect(x, k)} said (with explanations for tables)
     * @param image the image shape, or null for tables
     * @return per row, the top parts; null when this writer explains nothing
     */
    List<List<Part>> parts(AnomalyDetector det, INDArray x, Detection r, int[] image) {
        if (explain == 0) {
            return null;
        }
        return image == null ? tableParts(r.explanations()) : Regions.top(det.contributions(x), image, explain);
    }

    private static List<List<Part>> tableParts(Explanation[] ex) {
        List<List<Part>> out = new ArrayList<>(ex.length);
        for (Explanation e : ex) {
            List<Part> p = new ArrayList<>();
            for (Explanation.Contribution c : e.features()) {
                p.add(new Part(c.name(), c.share()));
            }
            out.add(p);
        }
        return out;
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
