package io.hyperinfer.testkit;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Runs short host tools ({@code ip}, {@code nft}, {@code sh}) to completion. Thread-safe (stateless). */
public final class HostCommands {
  private static final long TIMEOUT_SECONDS = 30;

  private HostCommands() {}

  /** Runs {@code command} with {@code stdin} (may be empty) and returns its stdout; fails with its output otherwise. */
  public static String run(List<String> command, String stdin) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readAll(process));
      try (OutputStream in = process.getOutputStream()) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      } catch (IOException endedWithoutReading) {
        // the tool exited before it read its input (a broken pipe): its exit code and output below say why
      }
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("timed out after " + TIMEOUT_SECONDS + " s: " + String.join(" ", command));
      }
      String text = output.get();
      if (process.exitValue() != 0) {
        throw new IllegalStateException("exit " + process.exitValue() + ": " + String.join(" ", command)
            + (stdin.isEmpty() ? "" : "\nstdin:\n" + stdin) + "\noutput:\n" + text);
      }
      return text;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + command, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot read the output of " + command, e.getCause());
    }
  }

  /** The executable {@code tool} on PATH or in the sbin directories root's PATH usually has, or null. */
  public static String which(String tool) {
    String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/sbin:/sbin";
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
        return Path.of(dir, tool).toString();
      }
    }
    return null;
  }

  private static String readAll(Process process) {
    try {
      return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
