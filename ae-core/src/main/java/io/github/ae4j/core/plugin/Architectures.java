package io.github.ae4j.core.plugin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ae4j.core.LossProvider;
import io.github.ae4j.core.ModelSpec;
import io.github.ae4j.core.ReconstructionLoss;
import io.github.ae4j.core.ReconstructionLosses;
import io.github.ae4j.core.TrainingConfig;
import io.github.ae4j.core.TrainingListener;
import io.github.ae4j.core.data.DataKind;
import io.github.ae4j.core.internal.NamedServices;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * The registry of {@link ArchitectureProvider}s on the class path (the thread's context class
 * loader, else ae-core's), and the rules for loading models they built.
 *
 * <p>{@link #build} records the provider's name in the spec's description under
 * {@value #SPEC_KEY}, so a saved model names its architecture; loading it without that provider on
 * the class path is refused naming it ({@link #checkArchitecture}), and a graph naming classes no plugin vouches for
 * is refused before any is created ({@link #checkGraphClasses}); so is a model whose loss no
 * {@link LossProvider} on the class path names.
 */
public final class Architectures {

    /** The key under which a model's {@link ModelSpec#describe()} records its provider's name. */
    public static final String SPEC_KEY = "architecture";
    /** The option for the bottleneck size (set by {@code --latent}). */
    public static final String LATENT = "latent";
    /** The option for the encoder's hidden sizes, comma-separated (set by {@code --hidden}). */
    public static final String HIDDEN = "hidden";
    /** The option for the reconstruction loss, by a {@link LossProvider}'s name (set by {@code --loss}). */
    public static final String LOSS = "loss";

    /** Packages whose classes any saved graph may name. */
    private static final List<String> ALWAYS_TRUSTED = List.of("org.deeplearning4j.", "org.nd4j.",
            "io.github.ae4j.core.");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Prefixes trusted by {@link #trust(String)}: classes of the application's own code. */
    private static final Set<String> TRUSTED_BY_CODE = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private Architectures() {
    }

    /**
     * The providers on the class path, by name.
     *
     * @return name to provider, sorted by name
     * @throws IllegalStateException when two providers claim one name, or a listed provider cannot be created
     */
    public static Map<String, ArchitectureProvider> providers() {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        return NamedServices.byName(ArchitectureProvider.class, ArchitectureProvider::name,
                "architecture plugin", List.of(cl != null ? cl : Architectures.class.getClassLoader()));
    }

    /**
     * @param name a provider's name (any case)
     * @return the provider, if on the class path
     */
    public static Optional<ArchitectureProvider> find(String name) {
        Objects.requireNonNull(name, "name");
        return Optional.ofNullable(providers().get(name.trim().toLowerCase(Locale.ROOT)));
    }

    /**
     * @param name a provider's name
     * @return the provider
     * @throws IllegalArgumentException naming the available ones when it is not on the class path
     */
    public static ArchitectureProvider require(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException("unknown architecture '" + name
                + "': available are " + String.join(", ", providers().keySet()) + " (a plugin's jar must be on the"
                + " class path: ae4j --plugins DIR, AE4J_CLASSPATH, or spark-submit --jars)"));
    }

    /**
     * The default architecture for a kind of data: {@code conv} for images, {@code dense} otherwise.
     *
     * @param data the kind of data
     * @return the name
     */
    public static String defaultName(DataKind data) {
        return data.isImage() ? "conv" : "dense";
    }

    /**
     * The options map for the common command-line settings.
     *
     * @param latent the bottleneck size, or null
     * @param hidden the encoder's hidden sizes, or null
     * @param others further {@code KEY=VALUE} options, or null
     * @return the options
     */
    public static Map<String, String> options(Integer latent, int[] hidden, Map<String, String> others) {
        return options(latent, hidden, null, others);
    }

    /**
     * The options map for the common command-line settings.
     *
     * @param latent the bottleneck size, or null
     * @param hidden the encoder's hidden sizes, or null
     * @param loss   the reconstruction loss's name, or null
     * @param others further {@code KEY=VALUE} options, or null
     * @return the options
     */
    public static Map<String, String> options(Integer latent, int[] hidden, String loss, Map<String, String> others) {
        Map<String, String> o = new LinkedHashMap<>(others == null ? Map.of() : others);
        if (loss != null) {
            o.put(LOSS, loss);
        }
        if (latent != null) {
            o.put(LATENT, latent.toString());
        }
        if (hidden != null) {
            o.put(HIDDEN, java.util.Arrays.stream(hidden).mapToObj(Integer::toString)
                    .collect(java.util.stream.Collectors.joining(",")));
        }
        return o;
    }

    /**
     * The documented {@value #LOSS} option, for providers that let the user choose the loss
     * ({@link ArchitectureRequest#loss()}).
     *
     * @param defaultValue the provider's default, in words
     * @return the option
     */
    public static ArchitectureOption lossOption(String defaultValue) {
        return new ArchitectureOption(LOSS, "reconstruction loss by name: mse, mse-sigmoid, mae, bce or any loss"
                + " plugin's on the class path", defaultValue);
    }

    /**
     * Builds an architecture by name, after checking the options against the documented ones.
     *
     * @param name    the provider's name
     * @param request the data and options
     * @return the spec, whose description records the provider's name under {@value #SPEC_KEY}
     * @throws IllegalArgumentException for an unknown name or option, or data it does not suit
     */
    public static ModelSpec build(String name, ArchitectureRequest request) {
        ArchitectureProvider p = require(name);
        Set<String> known = new LinkedHashSet<>();
        for (ArchitectureOption o : p.options()) {
            known.add(o.name());
        }
        Set<String> unknown = new TreeSet<>(request.options().keySet());
        unknown.removeAll(known);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("architecture '" + p.name() + "' has no option " + unknown
                    + (known.isEmpty() ? ": it takes none" : "; its options are " + known));
        }
        ModelSpec spec = p.build(request);
        if (spec == null) {
            throw new IllegalStateException("architecture plugin '" + p.name() + "' built no spec");
        }
        return new Named(p.name(), spec);
    }

    /**
     * Checks a saved graph configuration before DL4J reads it: every class it names must come from
     * DL4J, ND4J, ae-core or a package a registered provider trusts. Nothing is instantiated here.
     *
     * @param graphJson the saved graph configuration
     * @return a message saying why the model cannot be loaded, or empty when it can
     */
    public static Optional<String> checkGraphClasses(String graphJson) {
        Set<String> classes = new TreeSet<>();
        try {
            collectClasses(JSON.readTree(graphJson), classes);
        } catch (java.io.IOException e) {
            return Optional.of("invalid graph configuration: " + (e instanceof com.fasterxml.jackson.core.JacksonException j ? j.getOriginalMessage() : e.getMessage()));
        }
        return untrusted(classes, providers());
    }

    /**
     * Checks a saved model's metadata: a model that records its architecture's name needs that
     * provider on the class path, and its reconstruction loss needs a {@link LossProvider} of that
     * name (the loss is found by name; no class named by the file is created).
     *
     * @param spec the saved spec description (may be null)
     * @param loss the saved loss's name, or null
     * @return a message saying why the model cannot be loaded, or empty when it can
     */
    public static Optional<String> checkArchitecture(Map<String, Object> spec, String loss) {
        Object arch = spec == null ? null : spec.get(SPEC_KEY);
        Map<String, ArchitectureProvider> providers = providers();
        if (arch != null && !providers.containsKey(String.valueOf(arch))) {
            return Optional.of("the model was built by architecture '" + arch + "', which is not on the class path"
                    + " (available: " + String.join(", ", providers.keySet()) + "): add its plugin jar (ae4j --plugins"
                    + " DIR or AE4J_CLASSPATH; spark-submit --jars)");
        }
        if (loss != null && !ReconstructionLosses.providers().containsKey(loss)) {
            return Optional.of("the model's " + ReconstructionLosses.unknown(loss));
        }
        return Optional.empty();
    }

    /**
     * Lets models whose graphs use classes of this application's own code load in this JVM: for an
     * architecture written in Java (a custom layer inside an {@code Encoder} lambda, say) rather than
     * shipped as a plugin jar. Loading otherwise creates only classes of DL4J, ND4J, ae-core and the
     * packages registered plugins vouch for; trust only code you own, e.g.
     * {@code Architectures.trust(MyLayers.class.getPackageName() + ".")}. A model using such classes
     * loads from {@code ae4j} or Spark only through a plugin (an {@link ArchitectureProvider} whose
     * {@link ArchitectureProvider#trustedPackages()} name them).
     *
     * @param classPrefix a package followed by a dot, or a class name followed by {@code $} for its nested classes
     * @throws IllegalArgumentException for a prefix that is not a package or nested-class prefix
     */
    public static void trust(String classPrefix) {
        Objects.requireNonNull(classPrefix, "classPrefix");
        if (!(classPrefix.endsWith(".") || classPrefix.endsWith("$")) || classPrefix.length() < 3) {
            throw new IllegalArgumentException("expected a package prefix ending in '.' or a class name ending in"
                    + " '$', got '" + classPrefix + "'");
        }
        TRUSTED_BY_CODE.add(classPrefix);
    }

    private static Optional<String> untrusted(Set<String> classes, Map<String, ArchitectureProvider> providers) {
        List<String> trusted = new ArrayList<>(ALWAYS_TRUSTED);
        trusted.addAll(TRUSTED_BY_CODE);
        for (ArchitectureProvider p : providers.values()) {
            trusted.addAll(p.trustedPackages());
        }
        for (LossProvider p : ReconstructionLosses.providers().values()) {
            trusted.addAll(p.trustedPackages());
        }
        for (String c : classes) {
            if (trusted.stream().noneMatch(c::startsWith)) {
                return Optional.of("the model names class " + c + ", which no architecture plugin on the class path"
                        + " vouches for (loading never creates classes named by a file otherwise): add the plugin's"
                        + " jar, or, for a program's own classes, call Architectures.trust(\""
                        + c.substring(0, c.lastIndexOf('.') + 1) + "\") before loading");
            }
        }
        return Optional.empty();
    }

    private static void collectClasses(JsonNode n, Collection<String> out) {
        if (n.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> f = n.fields();
            while (f.hasNext()) {
                Map.Entry<String, JsonNode> e = f.next();
                if (e.getKey().equals("@class") && e.getValue().isTextual()) {
                    out.add(e.getValue().asText());
                } else {
                    collectClasses(e.getValue(), out);
                }
            }
        } else if (n.isArray()) {
            for (JsonNode c : n) {
                collectClasses(c, out);
            }
        }
    }

    /** A provider's spec that records the provider's name in its description. */
    private static final class Named implements ModelSpec {
        private final String name;
        private final ModelSpec spec;

        Named(String name, ModelSpec spec) {
            this.name = name;
            this.spec = spec;
        }

        @Override
        public int inputSize() {
            return spec.inputSize();
        }

        @Override
        public int[] inputShape() {
            return spec.inputShape();
        }

        @Override
        public ComputationGraphConfiguration buildGraph(IUpdater updater, long seed) {
            return spec.buildGraph(updater, seed);
        }

        @Override
        public ReconstructionLoss loss() {
            return spec.loss();
        }

        @Override
        public String decoderOutput() {
            return spec.decoderOutput();
        }

        @Override
        public Activation decoderOutputActivation() {
            return spec.decoderOutputActivation();
        }

        @Override
        public String kind() {
            return spec.kind();
        }

        @Override
        public List<TrainingListener> trainingListeners(TrainingConfig config) {
            return spec.trainingListeners(config);
        }

        @Override
        public Map<String, Object> describe() {
            Map<String, Object> d = new LinkedHashMap<>(spec.describe());
            d.put(SPEC_KEY, name);
            return d;
        }

        @Override
        public String toString() {
            return spec.toString();
        }
    }
}
