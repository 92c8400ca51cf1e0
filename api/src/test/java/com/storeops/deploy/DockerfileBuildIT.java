package com.storeops.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.storeops.NewerJdk;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Dockerfile's build stage, run without a Docker engine: a temporary directory is laid out
 * exactly as its {@code COPY} lines lay out the build context, and its {@code RUN} lines run there
 * (Maven offline against the local repository, quiet, tests skipped — the build is what is under
 * test, not the tests). Every {@code COPY --from=build} of the runtime stage must then find what it
 * copies. A module the Dockerfile forgets fails here, not at the first {@code docker compose up}.
 */
class DockerfileBuildIT {

  private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");
  private static final Pattern ENTRYPOINT = Pattern.compile("ENTRYPOINT \\[\"java\", \"-XX:AOTCache=([\\w.]+)\", \"-jar\", \"([\\w.]+)\"]");

  @TempDir static Path context;

  private static Path root;
  private static Dockerfile dockerfile;
  private static Result build;

  @BeforeAll
  static void buildTheImageStageInATemporaryCopy() throws Exception {
    root = DeployFiles.projectRoot();
    dockerfile = Dockerfile.parse(Files.readString(root.resolve("Dockerfile")));
    Path workdir = context.resolve("complete");
    layOut(dockerfile.buildCopies(), workdir);
    build = run(dockerfile.buildRuns(), workdir);
  }

  @Test
  void buildStageBuildsTheJarFromWhatItsCopyLinesBringIn() {
    assertThat(build.exitCode()).as("build stage output:\n%s", build.output()).isZero();
    assertThat(context.resolve("complete/api/target/storeops.jar")).isRegularFile();
  }

  @Test
  void runtimeStageFindsEveryLayerItCopiesFromTheBuildStage() {
    assertThat(build.exitCode()).as("build stage output:\n%s", build.output()).isZero();
    assertThat(dockerfile.runtimeCopiesFromBuild()).as("COPY --from=build lines").hasSize(3);
    for (String source : dockerfile.runtimeCopiesFromBuild()) {
      assertThat(inBuildStage(source)).as("COPY --from=build %s", source).isDirectory();
    }
  }

  @Test
  void entrypointJarIsInTheApplicationLayerWithOurModulesAndItsCacheIsTheOneTheTrainingRunWrites() {
    assertThat(build.exitCode()).isZero();
    Matcher entrypoint = entrypoint();
    assertThat(trainingRun()).as("the training run writes the cache the entrypoint maps")
        .contains("-XX:AOTCacheOutput=" + entrypoint.group(1) + " -jar " + entrypoint.group(2));
    assertThat(inBuildStage("/build/extracted/application/").resolve(entrypoint.group(2))).isRegularFile();
    // Our own modules' jars travel with our classes (Spring Boot puts reactor modules in the
    // application layer): a commit re-ships that layer alone, the libraries' layer stays cached.
    try (Stream<Path> jars = Files.list(inBuildStage("/build/extracted/application/").resolve("lib"))) {
      assertThat(jars.map(p -> p.getFileName().toString()))
          .anyMatch(name -> name.startsWith("workflows-"))
          .anyMatch(name -> name.startsWith("activities-"))
          .anyMatch(name -> name.startsWith("worker-"));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    assertThat(inBuildStage("/build/extracted/dependencies/").resolve("lib")).isDirectoryContaining("glob:**/temporal-sdk-*.jar");
  }

  /**
   * The runtime stage's training run, on a JDK 25+ when the machine has one (the image's JRE is 25;
   * 17 has no AOT cache): the layers merged into one directory as the COPY lines merge them into
   * /app, then the RUN line there as a container runs it — no DATABASE_URL, no TEMPORAL_ADDRESS, no
   * Temporal CLI. It must exit 0 having imported its file twice, and leave a cache the entrypoint's
   * JVM can use: {@code -XX:AOTMode=on} refuses to start on a cache it cannot map, here with the
   * serial collector a small container's JVM picks and the image's heap setting.
   */
  @Test
  void trainingRunImportsTwiceAndLeavesACacheTheEntrypointCanUse() throws Exception {
    Optional<Path> jdk25 = NewerJdk.atLeast(25);
    assumeTrue(jdk25.isPresent(), "no JDK 25+ under /usr/lib/jvm");
    assertThat(build.exitCode()).isZero();
    Path app = context.resolve("app");
    for (String source : dockerfile.runtimeCopiesFromBuild()) {
      copyTree(inBuildStage(source), app);
    }
    Map<String, String> container = Map.of("PATH", jdk25.get().getParent() + ":" + System.getenv("PATH"), "STOREOPS_TEMPORAL_CLI", "none");
    Result training = run(List.of(trainingRun()), app, container);

    assertThat(training.exitCode()).as("training run output:\n%s", training.output()).isZero();
    assertThat(training.output().split("training: import ")).as("two imports logged").hasSize(3);
    assertThat(training.output()).contains("(multipart/form-data) ended COMPLETED").contains("(text/csv) ended COMPLETED");
    Matcher entrypoint = entrypoint();
    Result use = run(List.of("java -XX:AOTCache=" + entrypoint.group(1) + " -XX:AOTMode=on -XX:+UseSerialGC -XX:MaxRAMPercentage=75 -cp "
        + entrypoint.group(2) + " -version"), app, container);
    assertThat(use.exitCode()).as("the JVM on the cache:\n%s", use.output()).isZero();
  }

  /** The 25 JRE image ships no curl: the runtime stage must bring what its HEALTHCHECK, and compose's, run. */
  @Test
  void theRuntimeStageInstallsTheCurlItsHealthchecksRun() throws IOException {
    assertThat(dockerfile.text()).contains("HEALTHCHECK").containsPattern("CMD curl ");
    assertThat(Files.readString(root.resolve("docker-compose.yml"))).contains("\"CMD-SHELL\", \"curl ");
    assertThat(dockerfile.runtimeRuns()).as("a runtime RUN line installing curl")
        .anyMatch(run -> run.contains("apt-get install") && run.matches(".*\\bcurl\\b.*"));
  }

  @Test
  void everyModuleOfTheRootPomHasItsPomCopied() throws IOException {
    Matcher modules = MODULE.matcher(Files.readString(root.resolve("pom.xml")));
    List<String> copied = dockerfile.buildCopies().stream().flatMap(c -> c.sources().stream()).toList();
    while (modules.find()) {
      assertThat(copied).as("COPY of %s/pom.xml", modules.group(1)).contains(modules.group(1) + "/pom.xml");
    }
  }

  /** The failure this test exists for: the root pom lists bench, so an image without it cannot build. */
  @Test
  void aLayoutWithoutOneModuleFailsTheBuild() throws Exception {
    Path workdir = context.resolve("without-bench");
    layOut(dockerfile.buildCopies().stream().filter(Predicate.not(c -> c.sources().contains("bench/pom.xml"))).toList(),
        workdir);
    Result result = run(dockerfile.buildRuns().subList(0, 1), workdir);
    assertThat(result.exitCode()).isNotZero();
    assertThat(result.output()).contains("bench");
  }

  /** The ENTRYPOINT's groups: 1 the AOT cache it maps, 2 the jar it runs. */
  private static Matcher entrypoint() {
    Matcher entrypoint = ENTRYPOINT.matcher(dockerfile.text());
    assertThat(entrypoint.find()).as("ENTRYPOINT [\"java\", \"-XX:AOTCache=<cache>\", \"-jar\", \"<jar>\"]").isTrue();
    return entrypoint;
  }

  private static String trainingRun() {
    return dockerfile.runtimeRuns().stream().filter(r -> r.contains("STOREOPS_TRAINING_PRODUCTS=")).findFirst()
        .orElseThrow(() -> new AssertionError("no RUN line with STOREOPS_TRAINING_PRODUCTS in the runtime stage"));
  }

  private static Path inBuildStage(String absolute) {
    String workdir = dockerfile.buildWorkdir();
    assertThat(absolute).startsWith(workdir + "/");
    return context.resolve("complete").resolve(absolute.substring(workdir.length() + 1));
  }

  /** Docker's COPY: a directory source copies its contents into dest; a file goes into a dest ending in /. */
  private static void layOut(List<Dockerfile.Copy> copies, Path workdir) throws IOException {
    Files.createDirectories(workdir);
    for (Dockerfile.Copy copy : copies) {
      for (String source : copy.sources()) {
        Path from = root.resolve(source);
        assertThat(from).as("COPY source %s", source).exists();
        Path to = workdir.resolve(copy.destination());
        if (Files.isDirectory(from)) {
          copyTree(from, to);
        } else {
          Path target = copy.destination().endsWith("/") ? to.resolve(from.getFileName().toString()) : to;
          Files.createDirectories(target.getParent());
          Files.copy(from, target, StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  /** .dockerignore keeps build output and local state out of the context; so does this copy. */
  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path path : (Iterable<Path>) paths::iterator) {
        Path relative = from.relativize(path);
        if (relative.toString().split("/")[0].equals("target") || relative.startsWith(".storeops")) {
          continue;
        }
        Path target = to.resolve(relative.toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(target);
        } else {
          Files.copy(path, target, StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  /**
   * The RUN lines in order, in the laid-out directory. Maven runs offline and quiet: the local
   * repository already holds what the enclosing build resolved, and a Docker build would fetch it.
   */
  private static Result run(List<String> commands, Path workdir) throws Exception {
    return run(commands, workdir, Map.of());
  }

  /** As a container runs them: without this machine's DATABASE_URL and TEMPORAL_ADDRESS, with {@code env}. */
  private static Result run(List<String> commands, Path workdir, Map<String, String> env) throws Exception {
    StringBuilder output = new StringBuilder();
    for (String command : commands) {
      String local = command.replace("./mvnw ", "./mvnw -o -q ");
      Path log = Files.createTempFile(context, "run", ".log");
      ProcessBuilder builder = new ProcessBuilder("sh", "-c", local)
          .directory(workdir.toFile())
          .redirectErrorStream(true)
          .redirectOutput(log.toFile());
      builder.environment().remove("DATABASE_URL");
      builder.environment().remove("TEMPORAL_ADDRESS");
      builder.environment().putAll(env);
      Process process = builder.start();
      if (!process.waitFor(15, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new AssertionError("timed out: " + local);
      }
      output.append("$ ").append(local).append('\n').append(Files.readString(log));
      if (process.exitValue() != 0) {
        return new Result(process.exitValue(), output.toString());
      }
    }
    return new Result(0, output.toString());
  }

  private record Result(int exitCode, String output) {}

  /** The few Dockerfile instructions this test needs, per stage; line continuations joined. */
  record Dockerfile(String text, String buildWorkdir, List<Copy> buildCopies, List<String> buildRuns,
      List<String> runtimeCopiesFromBuild, List<String> runtimeRuns) {

    record Copy(List<String> sources, String destination) {}

    static Dockerfile parse(String text) {
      String joined = text.replaceAll("\\\\\\r?\\n", " ");
      String workdir = null;
      List<Copy> copies = new ArrayList<>();
      List<String> runs = new ArrayList<>();
      List<String> fromBuild = new ArrayList<>();
      List<String> runtimeRuns = new ArrayList<>();
      int stage = -1;
      for (String raw : joined.split("\\r?\\n")) {
        String line = raw.strip();
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        String[] words = line.split("\\s+");
        String instruction = words[0].toUpperCase();
        if (instruction.equals("FROM")) {
          stage++;
        } else if (stage == 0 && instruction.equals("WORKDIR")) {
          workdir = words[1];
        } else if (stage == 0 && instruction.equals("COPY")) {
          List<String> args = List.of(words).subList(1, words.length).stream().filter(w -> !w.startsWith("--")).toList();
          copies.add(new Copy(args.subList(0, args.size() - 1), args.get(args.size() - 1)));
        } else if (stage == 0 && instruction.equals("RUN")) {
          runs.add(String.join(" ", List.of(words).subList(1, words.length).stream()
              .filter(w -> !w.startsWith("--mount=")).toList()));
        } else if (stage > 0 && instruction.equals("COPY") && line.contains("--from=build")) {
          List<String> args = List.of(words).subList(1, words.length).stream().filter(w -> !w.startsWith("--")).toList();
          fromBuild.add(args.get(0));
        } else if (stage > 0 && instruction.equals("RUN")) {
          runtimeRuns.add(line.substring(words[0].length()).strip());
        }
      }
      return new Dockerfile(text, workdir, copies, runs, fromBuild, runtimeRuns);
    }
  }
}
