package io.hyperinfer.client;

import io.hyperinfer.contract.infer.ToolCall;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** Joins streamed tool-call pieces into whole calls, by index. Confined to one stream's (synchronised) callbacks. */
final class ToolCallAssembler {
  private final TreeMap<Integer, ToolCall> calls = new TreeMap<>();

  void add(ToolCall piece) {
    calls.merge(piece.index(), piece, (a, b) -> new ToolCall(a.index(), a.id() != null ? a.id() : b.id(),
        a.name() != null ? a.name() : b.name(), a.arguments() + b.arguments()));
  }

  List<ToolCall> calls() {
    return new ArrayList<>(calls.values());
  }
}
