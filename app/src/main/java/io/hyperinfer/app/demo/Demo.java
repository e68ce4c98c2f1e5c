package io.hyperinfer.app.demo;

import io.hyperinfer.worker.net.NetException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Runs a journey of {@link DemoStep}s in order, printing each with its outcome, and stops at the first step that did
 * not do what it should. Not thread-safe: one run at a time.
 */
public final class Demo {
  private final List<DemoStep> steps;
  private final PrintWriter out;

  public Demo(List<DemoStep> steps, PrintWriter out) {
    this.steps = List.copyOf(steps);
    this.out = out;
  }

  /** The outcome of a run: how many steps passed, and the failure if one did not. */
  public record Result(int passed, int total, String failure) {
    public boolean ok() {
      return failure == null && passed == total;
    }
  }

  public Result run(DemoContext ctx) {
    int width = String.valueOf(steps.size()).length();
    for (int i = 0; i < steps.size(); i++) {
      DemoStep step = steps.get(i);
      String number = String.format("[%" + width + "d/%d]", i + 1, steps.size());
      out.println(number + " " + step.title());
      long start = System.nanoTime();
      try {
        String detail = step.run(ctx);
        String took = format(Duration.ofNanos(System.nanoTime() - start));
        for (String line : detail.split("\n")) {
          out.println(" ".repeat(number.length() + 1) + line);
        }
        out.println(" ".repeat(number.length() + 1) + "ok (" + took + ")");
        out.flush();
      } catch (Throwable t) {
        String why = describe(t);
        out.println(" ".repeat(number.length() + 1) + "FAILED: " + why);
        out.flush();
        return new Result(i, steps.size(), step.title() + ": " + why);
      }
    }
    return new Result(steps.size(), steps.size(), null);
  }

  static String describe(Throwable t) {
    Throwable cause = t;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof NetException e) {
      return e.code() + " (" + e.getMessage() + ")";
    }
    if (cause instanceof DemoFailure) {
      return cause.getMessage();
    }
    return cause.getClass().getSimpleName() + ": " + cause.getMessage();
  }

  private static String format(Duration d) {
    return String.format(java.util.Locale.ROOT, "%.1f ms", d.toNanos() / 1e6);
  }
}
