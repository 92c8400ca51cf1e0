package com.storeops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The newer JDK this machine kind carries beside 17 (Temurin 25 here; the image's JRE is 25), found
 * by the {@code release} file of each JDK under /usr/lib/jvm, so a later one serves as well.
 */
public final class NewerJdk {

  private static final Pattern VERSION = Pattern.compile("^JAVA_VERSION=\"(\\d+)", Pattern.MULTILINE);

  private NewerJdk() {}

  /** The {@code java} of the newest JDK of at least {@code feature} installed, if any. */
  public static Optional<Path> atLeast(int feature) {
    try (Stream<Path> jdks = Files.list(Path.of("/usr/lib/jvm"))) {
      return jdks.filter(jdk -> feature(jdk) >= feature && Files.isExecutable(jdk.resolve("bin/java")))
          .max(Comparator.comparingInt(NewerJdk::feature))
          .map(jdk -> jdk.resolve("bin/java"));
    } catch (IOException noJvmDirectory) {
      return Optional.empty();
    }
  }

  private static int feature(Path jdk) {
    try {
      Matcher m = VERSION.matcher(Files.readString(jdk.resolve("release")));
      return m.find() ? Integer.parseInt(m.group(1)) : 0;
    } catch (IOException noReleaseFile) {
      return 0;
    }
  }
}
