package io.hyperinfer.dht.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Table nodes from the least to the most recently heard from (time-ordered-set 2.0.1): an intrusive doubly linked
 * list through {@link TableNode#prev}/{@link TableNode#next}. Confined to the loop thread.
 */
final class TimeOrderedSet {
  TableNode oldest;
  TableNode latest;
  int length;

  boolean has(TableNode node) {
    return node.linked;
  }

  /** Adds {@code node}, or moves it to the latest end. */
  void add(TableNode node) {
    if (node.linked) {
      remove(node);
    }
    if (latest == null) {
      oldest = latest = node;
      node.prev = node.next = null;
    } else {
      latest.next = node;
      node.prev = latest;
      node.next = null;
      latest = node;
    }
    node.linked = true;
    length++;
  }

  void remove(TableNode node) {
    if (!node.linked) {
      return;
    }
    if (node.prev != null) {
      node.prev.next = node.next;
    } else {
      oldest = node.next;
    }
    if (node.next != null) {
      node.next.prev = node.prev;
    } else {
      latest = node.prev;
    }
    node.prev = node.next = null;
    node.linked = false;
    length--;
  }

  /** Up to {@code limit} nodes, latest first. */
  List<TableNode> latestFirst(int limit) {
    List<TableNode> out = new ArrayList<>();
    for (TableNode n = latest; n != null && out.size() < limit; n = n.prev) {
      out.add(n);
    }
    return out;
  }
}
