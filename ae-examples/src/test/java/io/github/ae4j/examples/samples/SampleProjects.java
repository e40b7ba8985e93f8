package io.github.ae4j.examples.samples;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * Builds the sample projects under {@code samples/} with the {@code mvn} on the PATH (the Maven the
 * machine ships, e.g. Debian's 3.8), against this build's ae-core, without installing anything into
 * the user's repository: a local repository of links to {@code ~/.m2/repository} (everything but
 * ae4j) plus this build's ae-core jar and poms. Nothing is downloaded when the dependencies and the
 * pinned plugins are in {@code ~/.m2} (they are after building ae4j); otherwise Maven fetches them
 * from Maven Central as usual.
 */
public final class SampleProjects {

    /** The ae4j version the samples depend on. */
    static final String VERSION = "0.1.0-SNAPSHOT";

    private SampleProjects() {
    }

    /** @return the repository root (the parent of the module the tests run in) */
    public static Path root() {
        return Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();
    }

    /** @return the mvn executable, or null when none is on the PATH */
    public static Path mvn() {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String d : path.split(File.pathSeparator)) {
            Path p = Path.of(d, "mvn");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /**
     * Copies a sample to {@code work} and runs {@code mvn -B -q -DskipTests package} on it.
     *
     * @param sample the sample's folder name under {@code samples/}
     * @param work   a scratch folder
     * @param repo   the local repository made by {@link #localRepository}
     * @return the copied project (its {@code target/} holds the build)
     * @throws Exception when the build fails (with Maven's output) or takes over 5 minutes
     */
    public static Path build(String sample, Path work, Path repo) throws Exception {
        Path src = root().resolve("samples").resolve(sample);
        Path dst = work.resolve(sample);
        try (Stream<Path> s = Files.walk(src)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path rel = src.relativize(p);
                if (rel.startsWith("target")) {
                    continue;
                }
                Path t = dst.resolve(rel.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
        Path log = work.resolve(sample + "-mvn.log");
        ProcessBuilder pb = new ProcessBuilder(mvn().toString(), "-B", "-q", "-DskipTests",
                "-Dmaven.repo.local=" + repo, "package").directory(dst.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("mvn package of " + sample + " took over 5 minutes:\n" + Files.readString(log));
        }
        if (p.exitValue() != 0) {
            throw new AssertionError("mvn package of " + sample + " failed:\n" + Files.readString(log));
        }
        return dst;
    }

    /**
     * A local Maven repository for the samples: links to every entry of the user's repository except
     * ae4j's own artifacts, which are this build's (ae-core's classes as a jar, its pom and the parent pom).
     *
     * @param dir   where to make it
     * @param anyAe4jClass a class of ae-core, to find its classes
     * @return the repository
     * @throws IOException on failure
     */
    public static Path localRepository(Path dir, Class<?> anyAe4jClass) throws IOException, URISyntaxException {
        Path user = Path.of(System.getProperty("ae4j.m2.repo",
                Path.of(System.getProperty("user.home"), ".m2", "repository").toString()));
        Path repo = Files.createDirectories(dir.resolve("repo"));
        link(user, repo, List.of("io", "github", "ae4j"));
        Path ae4j = Files.createDirectories(repo.resolve("io/github/ae4j"));
        Path parent = Files.createDirectories(ae4j.resolve("ae4j-parent").resolve(VERSION));
        Files.copy(root().resolve("pom.xml"), parent.resolve("ae4j-parent-" + VERSION + ".pom"));
        Path core = Files.createDirectories(ae4j.resolve("ae-core").resolve(VERSION));
        Files.copy(root().resolve("ae-core/pom.xml"), core.resolve("ae-core-" + VERSION + ".pom"));
        Path classes = Path.of(anyAe4jClass.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path jar = core.resolve("ae-core-" + VERSION + ".jar");
        if (Files.isDirectory(classes)) {
            jar(classes, jar);
        } else {
            Files.copy(classes, jar);
        }
        return repo;
    }

    /** Links each entry of {@code from} into {@code to}, descending (not linking) along {@code keep}. */
    private static void link(Path from, Path to, List<String> keep) throws IOException {
        if (!Files.isDirectory(from)) {
            return;
        }
        try (Stream<Path> s = Files.list(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String name = p.getFileName().toString();
                if (!keep.isEmpty() && name.equals(keep.get(0))) {
                    if (keep.size() > 1) {
                        link(p, Files.createDirectories(to.resolve(name)), keep.subList(1, keep.size()));
                    }
                } else {
                    Files.createSymbolicLink(to.resolve(name), p);
                }
            }
        }
    }

    private static void jar(Path classes, Path jar) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.walk(classes)) {
            s.filter(Files::isRegularFile).sorted().forEach(files::add);
        }
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out)) {
            for (Path f : files) {
                j.putNextEntry(new JarEntry(classes.relativize(f).toString().replace(File.separatorChar, '/')));
                j.write(Files.readAllBytes(f));
                j.closeEntry();
            }
        }
        Files.writeString(jar.resolveSibling("built-by-the-samples-test.txt"), "ae-core classes of this build\n",
                StandardCharsets.UTF_8);
    }
}
