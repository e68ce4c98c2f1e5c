package io.hyperinfer.nattestbed;

import io.hyperinfer.testkit.NatPeer.ConnectResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The matrix as a Markdown table: one row per cell and implementation pair. Thread-safe. */
final class MatrixReport {
  private final List<String> rows = new ArrayList<>();
  private final List<String> skipped = new ArrayList<>();

  /** A run left out of the matrix, and why; listed under the table. */
  synchronized void skip(String why) {
    skipped.add(why);
  }

  /** Adds a cell's row: outcomes, connect and first-echo times, where streams ended, NAT classes, errors. */
  synchronized void add(MatrixRun run, List<ConnectResult> trials, String note) {
    Map<String, Integer> outcomes = new TreeMap<>();
    trials.forEach(t -> outcomes.merge(t.outcome().name().toLowerCase(Locale.ROOT), 1, Integer::sum));
    String outcome = outcomes.entrySet().stream().map(e -> e.getValue() + "/" + trials.size() + " " + e.getKey())
        .collect(Collectors.joining(", "));
    rows.add(String.join(" | ", "", run.cell().name(), run.implementations(), outcome,
        millis(trials.stream().map(ConnectResult::connectMs).toList()),
        millis(trials.stream().map(ConnectResult::echoMs).toList()),
        distinct(trials.stream().map(ConnectResult::path).toList()),
        distinct(trials.stream().map(t -> t.localFirewall() == null ? null
            : t.localFirewall() + "/" + t.remoteFirewall()).toList()),
        failures(trials) + (note.isEmpty() ? "" : " " + note), "")
        .strip());
  }

  synchronized String markdown(String heading) {
    StringBuilder out = new StringBuilder(heading).append("\n\n")
        .append("| cell (client -> server) | impl | outcome | connect ms, median (min-max) | first echo ms, median"
            + " (min-max) | stream on | NAT classes (client/server) | errors, notes |\n")
        .append("| --- | --- | --- | ---: | ---: | --- | --- | --- |\n");
    rows.forEach(r -> out.append(r).append('\n'));
    if (!skipped.isEmpty()) {
      out.append("\nNot run:\n");
      skipped.forEach(s -> out.append("- ").append(s).append('\n'));
    }
    return out.toString();
  }

  private static String millis(List<Long> values) {
    List<Long> sorted = values.stream().filter(v -> v != null).sorted().toList();
    if (sorted.isEmpty()) {
      return "-";
    }
    long median = sorted.get(sorted.size() / 2);
    return sorted.size() == 1 ? Long.toString(median)
        : median + " (" + sorted.getFirst() + "-" + sorted.getLast() + ")";
  }

  private static String failures(List<ConnectResult> trials) {
    List<ConnectResult> failed = trials.stream().filter(t -> !t.connected()).toList();
    if (failed.isEmpty()) {
      return "-";
    }
    return distinct(failed.stream().map(ConnectResult::error).toList()) + " after "
        + millis(failed.stream().map(ConnectResult::elapsedMs).toList()) + " ms";
  }

  private static String distinct(List<String> values) {
    String joined = values.stream().filter(v -> v != null).distinct().collect(Collectors.joining(", "));
    return joined.isEmpty() ? "-" : joined;
  }
}
