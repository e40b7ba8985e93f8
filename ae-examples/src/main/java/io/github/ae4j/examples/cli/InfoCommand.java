package io.github.ae4j.examples.cli;

import io.github.ae4j.anomaly.AnomalyDetector;
import io.github.ae4j.core.Autoencoder;
import io.github.ae4j.core.ModelInfo;
import io.github.ae4j.core.internal.Json;
import io.github.ae4j.core.ModelFile;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code ae4j info}: what a model file holds. */
@Command(name = "info", mixinStandardHelpOptions = true, description = "Describe a model or detector file (JSON).")
final class InfoCommand implements Callable<Integer> {

    @ParentCommand
    Ae4jCli cli;

    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "A model or detector file.")
    Path model;

    @Override
    public Integer call() throws Exception {
        ModelFile.Contents c = ModelFile.read(model);
        Autoencoder m = c.model();
        ModelInfo i = m.info();
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("file", model.toString());
        o.put("kind", i.kind());
        o.put("architecture", i.spec());
        o.put("inputSize", i.inputSize());
        o.put("inputShape", i.inputShape());
        o.put("latentSize", i.latentSize());
        o.put("loss", i.loss());
        o.put("normalization", m.normalizer().type().id());
        o.put("parameters", m.graph().numParams());
        m.schema().ifPresent(s -> o.put("features", s.featureNames()));
        WindowModel.of(m).ifPresent(w -> o.put("series", w.toMap()));
        o.put("training", i.training());
        o.put("epochs", i.history().size());
        if (!i.history().isEmpty()) {
            ModelInfo.Epoch last = i.history().get(i.history().size() - 1);
            o.put("finalTrainLoss", last.trainLoss());
            o.put("finalValidationLoss", last.validationLoss());
        }
        o.put("stopReason", i.stopReason());
        o.put("trainingSeconds", i.trainingSeconds());
        o.put("createdAt", i.createdAt());
        o.put("ae4jVersion", i.ae4jVersion());
        o.put("dl4jVersion", i.dl4jVersion());
        o.put("formatVersion", i.formatVersion());
        // versions, platform, backend, data and schema fingerprints (absent in files written before they were recorded)
        o.put("provenance", i.provenance());
        if (c.entry(AnomalyDetector.ENTRY).isPresent()) {
            AnomalyDetector d = AnomalyDetector.load(model);
            Map<String, Object> det = new LinkedHashMap<>();
            det.put("scorer", d.scorer().id());
            det.put("scorerParams", d.scorer().params());
            det.put("threshold", d.threshold().value());
            det.put("thresholdSpec", d.threshold().spec());
            det.put("calibrationRows", d.calibrationScores().length);
            det.putAll(d.describe());
            o.put("detector", det);
        }
        cli.out.println(Json.MAPPER.writeValueAsString(o));
        return 0;
    }
}
