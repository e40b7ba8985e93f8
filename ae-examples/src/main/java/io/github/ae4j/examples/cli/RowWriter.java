package io.github.ae4j.examples.cli;

import io.github.ae4j.anomaly.AnomalyDetector;
import io.github.ae4j.anomaly.Detection;
import io.github.ae4j.anomaly.Explanation;
import io.github.ae4j.anomaly.ImageRegions;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The row format of the commands that score ({@code score}, {@code stream}, and the rows of {@code serve}'s
 * answers): one line per row, CSV with a header or JSON Lines, with the row's score, flag, p-value, id and label,
 * the command's extra fields, and optionally the parts that carry most of its score.
 *
 * <p>CSV columns: {@code row,score,anomaly,p_value[,id][,label][,extra...][,explain_1,share_1,...]}. JSON Lines:
 * one object per row with the keys {@code row, score, anomaly, p_value}, then {@code id}, {@code label}, the extra
 * fields (e.g. {@code stream}'s {@code threshold}) and {@code explanation} (a list of
 * {@code {"part": NAME, "share": S}}, largest first) where present. A share is the part's fraction of the row's
 * summed contributions; parts are the columns of a table and, for images, regions of the image. A value that does
 * not exist (the score of a row no window ends at, its p-value) is an empty CSV cell and a JSON {@code null}.
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
    private static final com.fasterxml.jackson.databind.ObjectWriter JSON = io.github.ae4j.core.internal.Json.MAPPER.writer()
            .without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);

    private final Writer w;
    private final Format format;
    private final boolean ids;
    private final boolean labels;
    private final int explain;
    private final List<String> extras;

    RowWriter(Writer w, Format format, boolean ids, boolean labels, int explain) {
        this(w, format, ids, labels, explain, List.of());
    }

    /**
     * A writer with extra fields after {@code p_value[,id][,label]}, each a number per row.
     *
     * @param w       where the lines go (null for a writer that only builds JSON objects: {@link #json})
     * @param format  CSV or JSON Lines
     * @param ids     whether rows have an {@code id}
     * @param labels  whether rows have a {@code label}
     * @param explain parts per row (0: no explanations)
     * @param extras  the names of the extra fields
     */
    RowWriter(Writer w, Format format, boolean ids, boolean labels, int explain, List<String> extras) {
        this.w = w;
        this.format = format;
        this.ids = ids;
        this.labels = labels;
        this.explain = explain;
        this.extras = List.copyOf(extras);
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
        for (String e : extras) {
            sb.append(',').append(e);
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

    /**
     * Writes rows already scored, with explanations computed elsewhere (e.g. the channels of a series'
     * points, {@link SeriesExplain}).
     *
     * @param r        what the detector said
     * @param parts    per row, its explanation parts (largest first); null when this writer explains nothing
     * @param first    the data row number of the first row
     * @param idCol    ids per row, or null
     * @param labelCol labels per row, or null
     * @throws IOException on a write failure
     */
    void write(Detection r, List<List<Part>> parts, long first, String[] idCol, int[] labelCol) throws IOException {
        if ((explain > 0) != (parts != null)) {
            throw new IllegalStateException(explain > 0 ? "this writer explains rows: parts are needed"
                    : "this writer explains nothing: no parts");
        }
        writeRows(r, parts, first, idCol, labelCol);
    }

    /**
     * Writes one row with its extra fields and no id, label or explanation (e.g. a row of a stream).
     *
     * @param row    the data row number
     * @param score  its score, NaN when it has none (a row no window ends at)
     * @param flag   0 or 1
     * @param pValue its p-value, NaN when it has none
     * @param extra  the values of the extra fields, in the order of their names
     * @throws IOException on a write failure
     */
    void write(long row, double score, int flag, double pValue, double... extra) throws IOException {
        if (explain > 0 || ids || labels) {
            throw new IllegalStateException("one row without id, label or explanation: this writer has them");
        }
        w.write(line(row, score, flag, pValue, null, null, extra, null));
    }

    private void writeRows(Detection r, List<List<Part>> parts, long first, String[] idCol, int[] labelCol)
            throws IOException {
        if (!extras.isEmpty()) {
            throw new IllegalStateException("this writer has extra fields: write them row by row");
        }
        for (int i = 0; i < r.rows(); i++) {
            w.write(line(first + i, r.scores()[i], r.flags()[i], r.pValues()[i], idCol == null ? null : idCol[i],
                    labelCol == null ? null : labelCol[i], null, parts == null ? null : parts.get(i)));
        }
    }

    /** One output line, ending in a line break. */
    private String line(long row, double score, int flag, double pValue, String id, Integer label, double[] extra,
                        List<Part> parts) throws IOException {
        StringBuilder sb = new StringBuilder(128);
        if (format == Format.CSV) {
            sb.append(row).append(',').append(cell(score)).append(',').append(flag).append(',').append(cell(pValue));
            if (ids) {
                sb.append(',').append(Outputs.csvCell(id));
            }
            if (labels) {
                sb.append(',').append(label == null ? "" : label.toString());
            }
            for (int k = 0; k < extras.size(); k++) {
                sb.append(',').append(cell(extra[k]));
            }
            for (int k = 0; k < explain; k++) {
                if (k < parts.size()) {
                    sb.append(',').append(Outputs.csvCell(parts.get(k).name())).append(',')
                            .append(String.format(Locale.ROOT, "%.4f", parts.get(k).share()));
                } else {
                    sb.append(",,");
                }
            }
        } else {
            sb.append(JSON.writeValueAsString(json(row, score, flag, pValue, id, label, extra, parts)));
        }
        return sb.append('\n').toString();
    }

    /**
     * One row as a JSON object (the object of a JSON Lines line, and of a row in {@code serve}'s answers).
     *
     * @param row    the row number
     * @param score  the score (NaN: none, written as null)
     * @param flag   0 or 1
     * @param pValue the p-value (NaN: none)
     * @param id     the id, used when this writer has ids
     * @param label  the label, used when this writer has labels
     * @param extra  the extra fields' values, or null when this writer has none
     * @param parts  the explanation parts, used when this writer explains
     * @return the keys {@code row, score, anomaly, p_value[, id][, label][, extras...][, explanation]}
     */
    java.util.Map<String, Object> json(long row, double score, int flag, double pValue, String id, Integer label,
                                       double[] extra, List<Part> parts) {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("row", row);
        m.put("score", finite(score));
        m.put("anomaly", flag);
        m.put("p_value", finite(pValue));
        if (ids) {
            m.put("id", id);
        }
        if (labels) {
            m.put("label", label);
        }
        for (int k = 0; k < extras.size(); k++) {
            m.put(extras.get(k), finite(extra[k]));
        }
        if (explain > 0) {
            List<java.util.Map<String, Object>> e = new ArrayList<>();
            for (Part p : parts) {
                java.util.Map<String, Object> part = new java.util.LinkedHashMap<>();
                part.put("part", p.name());
                part.put("share", Math.round(p.share() * 1e4) / 1e4);
                e.add(part);
            }
            m.put("explanation", e);
        }
        return m;
    }

    /**
     * Scores rows and gives each as a JSON object ({@link #json}), explained when this writer explains.
     *
     * @param det the detector
     * @param x   raw rows (a table's)
     * @return one object per row, numbered from 0
     */
    List<java.util.Map<String, Object>> json(AnomalyDetector det, INDArray x) {
        Detection r = det.detect(x, explain);
        List<List<Part>> parts = parts(det, x, r, null);
        List<java.util.Map<String, Object>> out = new ArrayList<>(r.rows());
        for (int i = 0; i < r.rows(); i++) {
            out.add(json(i, r.scores()[i], r.flags()[i], r.pValues()[i], null, null, null,
                    parts == null ? null : parts.get(i)));
        }
        return out;
    }

    /** A CSV cell for a number: empty when it does not exist (NaN). */
    private static String cell(double v) {
        return Double.isNaN(v) ? "" : Double.toString(v);
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
        return image == null ? tableParts(r.explanations()) : regionParts(det.explainRegions(x, explain));
    }

    private static List<List<Part>> regionParts(List<List<ImageRegions.Region>> regions) {
        List<List<Part>> out = new ArrayList<>(regions.size());
        for (List<ImageRegions.Region> image : regions) {
            List<Part> p = new ArrayList<>(image.size());
            for (ImageRegions.Region g : image) {
                p.add(new Part(g.name(), g.share()));
            }
            out.add(p);
        }
        return out;
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
