package io.hyperinfer.app.launch;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How to start a {@code hyperinfer} command as a child process: a java binary, JVM options, and either a class path
 * with the launcher's main class or a packaged jar. {@link #current()} is this process's own java and class path, so
 * {@code up} and {@code demo} start their children from the same jar and JVM; {@link #jar(Path)} is what tests use
 * for {@code app/target/hyperinfer.jar}. Every child gets {@code --enable-native-access=ALL-UNNAMED}, the options in
 * {@value #JAVA_OPTIONS_ENV} (an operator's {@code -Xmx2g}, say) and the {@code -Dhyperinfer.*} properties of this JVM;
 * JVM warnings go to standard error, so a child's standard output holds only what the command prints. Immutable.
 */
public final class Launcher {
  /** Extra JVM options for every child, whitespace-separated; children pass it on to theirs. */
  public static final String JAVA_OPTIONS_ENV = "HYPERINFER_JAVA_OPTIONS";
  /** The launcher's main class. */
  public static final String MAIN_CLASS = "io.hyperinfer.app.Hyperinfer";
  private static final List<String> BASE_OPTIONS = List.of("--enable-native-access=ALL-UNNAMED",
      "-Xlog:all=warning:stderr");

  private final String java;
  private final List<String> options;
  private final List<String> entry;
  private final Map<String, String> environment;

  private Launcher(String java, List<String> options, List<String> entry, Map<String, String> environment) {
    this.java = Objects.requireNonNull(java, "java");
    this.options = List.copyOf(options);
    this.entry = List.copyOf(entry);
    this.environment = Map.copyOf(environment);
  }

  /** This process's java and class path (the jar when run with {@code -jar}), with the launcher's main class. */
  public static Launcher current() {
    return new Launcher(currentJava(), inheritedOptions(),
        List.of("-cp", System.getProperty("java.class.path"), MAIN_CLASS), Map.of());
  }

  /** This process's java running a packaged launcher jar. */
  public static Launcher jar(Path jar) {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalArgumentException("no launcher jar at " + jar + ": build it with ./mvnw -pl app -am package");
    }
    return new Launcher(currentJava(), inheritedOptions(), List.of("-jar", jar.toAbsolutePath().toString()),
        Map.of());
  }

  /** A copy that also passes {@code more} to the JVM of every child. */
  public Launcher withJvmOptions(String... more) {
    List<String> all = new ArrayList<>(options);
    all.addAll(Arrays.asList(more));
    return new Launcher(java, all, entry, environment);
  }

  /** A copy whose children get {@code name=value} in their environment. */
  public Launcher withEnvironment(String name, String value) {
    Map<String, String> env = new HashMap<>(environment);
    env.put(name, value);
    return new Launcher(java, options, entry, env);
  }

  /**
   * A copy whose children (and theirs) run with the JaCoCo agent of this JVM, if it has one, so code that runs only in
   * child processes counts in the coverage report; the agent appends to the same data file. Without an agent, this.
   */
  public Launcher withCoverageOfThisJvm() {
    List<String> agents = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("-javaagent:") && a.contains("jacoco")).toList();
    if (agents.isEmpty()) {
      return this;
    }
    return withInheritedJvmOptions(agents.toArray(String[]::new));
  }

  /**
   * A copy that passes {@code more} to the JVM of every child and, through {@value #JAVA_OPTIONS_ENV}, to the JVMs
   * of their children too.
   */
  public Launcher withInheritedJvmOptions(String... more) {
    String inherited = environment.getOrDefault(JAVA_OPTIONS_ENV, System.getenv().getOrDefault(JAVA_OPTIONS_ENV, ""));
    return withJvmOptions(more).withEnvironment(JAVA_OPTIONS_ENV, (inherited + " " + String.join(" ", more)).strip());
  }

  /** The full command line for {@code hyperinfer args...}. */
  public List<String> command(List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(java);
    command.addAll(options);
    command.addAll(entry);
    command.addAll(args);
    return command;
  }

  /**
   * Starts {@code hyperinfer args...} as child {@code name}: its standard error and every line of its standard output
   * go to {@code log} (created or truncated), and its output lines can be awaited on the returned {@link Child}.
   */
  public Child start(String name, List<String> args, Path log) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command(args));
    builder.environment().putAll(environment);
    return Child.start(name, builder, log);
  }

  private static String currentJava() {
    return ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  private static List<String> inheritedOptions() {
    List<String> out = new ArrayList<>(BASE_OPTIONS);
    String extra = System.getenv(JAVA_OPTIONS_ENV);
    if (extra != null && !extra.isBlank()) {
      out.addAll(Arrays.asList(extra.strip().split("\\s+")));
    }
    System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("hyperinfer.")).sorted()
        .forEach(k -> out.add("-D" + k + "=" + System.getProperty(k)));
    return out;
  }
}
