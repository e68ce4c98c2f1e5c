package io.hyperinfer.app.launch;

import picocli.CommandLine.Option;

/**
 * The hidden {@code --parent-pid PID} option of every long-running command: stop cleanly when process PID exits.
 * {@code up} and {@code demo} pass their own pid to the processes they start, so none outlives them.
 */
public final class ParentOption {
  /** The option's name. */
  public static final String NAME = "--parent-pid";

  @Option(names = NAME, hidden = true, paramLabel = "PID",
      description = "Stop cleanly when process PID exits (set by up and demo on the processes they start).")
  Long pid;

  /** The parent to watch, or null. */
  public Long pid() {
    return pid;
  }
}
