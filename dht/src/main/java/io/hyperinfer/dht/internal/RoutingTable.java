package io.hyperinfer.dht.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Kademlia k-buckets (kademlia-routing-table 1.0.6): 256 rows indexed by the first bit where a node id differs from
 * the table id, each kept sorted by id and holding at most k nodes. {@link #closest} walks rows as JS does (the
 * target's row down to row 0, then upwards), taking each row in id order, not in XOR order. Confined to the loop
 * thread.
 */
final class RoutingTable {
  static final int K = 20;
  static final int ROWS = 256;

  /** Told when a node does not fit into its full row. */
  @FunctionalInterface
  interface FullRowListener {
    void onFullRow(TableNode candidate, List<TableNode> row);
  }

  final byte[] id;
  private final List<TableNode>[] rows;
  private final FullRowListener onFull;
  private int size;

  @SuppressWarnings({"unchecked", "rawtypes"}) // an array of rows; generic arrays cannot be created
  RoutingTable(byte[] id, FullRowListener onFull) {
    this.id = id;
    this.onFull = onFull;
    this.rows = new List[ROWS];
  }

  int size() {
    return size;
  }

  /** Adds or replaces (same id) {@code node}; false when its row is full (the listener was told). */
  boolean add(TableNode node) {
    int i = diff(node.id);
    List<TableNode> row = rows[i];
    if (row == null) {
      row = rows[i] = new ArrayList<>();
    }
    int at = search(row, node.id, i >> 3);
    if (at >= 0) {
      row.set(at, node);
      return true;
    }
    if (row.size() >= K) {
      onFull.onFullRow(node, row);
      return false;
    }
    row.add(-at - 1, node);
    size++;
    return true;
  }

  boolean remove(byte[] nodeId) {
    int i = diff(nodeId);
    List<TableNode> row = rows[i];
    if (row == null) {
      return false;
    }
    int at = search(row, nodeId, i >> 3);
    if (at < 0) {
      return false;
    }
    row.remove(at);
    size--;
    return true;
  }

  TableNode get(byte[] nodeId) {
    int i = diff(nodeId);
    List<TableNode> row = rows[i];
    if (row == null) {
      return null;
    }
    int at = search(row, nodeId, i >> 3);
    return at < 0 ? null : row.get(at);
  }

  /** A uniformly chosen node, or null when empty. */
  TableNode random(RandomGenerator random) {
    if (size == 0) {
      return null;
    }
    int n = random.nextInt(size);
    for (List<TableNode> row : rows) {
      if (row == null) {
        continue;
      }
      if (n < row.size()) {
        return row.get(n);
      }
      n -= row.size();
    }
    return null;
  }

  /** Up to {@code k} nodes near {@code target}, in JS's row-walk order. */
  List<TableNode> closest(byte[] target, int k) {
    List<TableNode> out = new ArrayList<>(Math.min(k, size));
    int d = diff(target);
    for (int i = d; i >= 0 && out.size() < k; i--) {
      push(i, k, out);
    }
    for (int i = d + 1; i < ROWS && out.size() < k; i++) {
      push(i, k, out);
    }
    return out;
  }

  /** Every node, in the order of {@code closest(id)}. */
  List<TableNode> toList() {
    return closest(id, Integer.MAX_VALUE);
  }

  private void push(int i, int k, List<TableNode> out) {
    List<TableNode> row = rows[i];
    if (row == null) {
      return;
    }
    int missing = Math.min(k - out.size(), row.size());
    for (int j = 0; j < missing; j++) {
      out.add(row.get(j));
    }
  }

  /** The row of {@code other}: the index of the first differing bit, 255 for the table id itself. */
  int diff(byte[] other) {
    for (int i = 0; i < id.length; i++) {
      int x = (other[i] ^ id[i]) & 0xff;
      if (x != 0) {
        return i * 8 + Integer.numberOfLeadingZeros(x) - 24;
      }
    }
    return ROWS - 1;
  }

  /** Binary search by id bytes from {@code byteOffset} (the bytes before it are equal within a row). */
  private static int search(List<TableNode> row, byte[] nodeId, int byteOffset) {
    int lo = 0;
    int hi = row.size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = compare(nodeId, row.get(mid).id, byteOffset);
      if (c == 0) {
        return mid;
      }
      if (c < 0) {
        hi = mid - 1;
      } else {
        lo = mid + 1;
      }
    }
    return -(lo + 1);
  }

  private static int compare(byte[] a, byte[] b, int from) {
    for (int i = from; i < a.length; i++) {
      int x = a[i] & 0xff;
      int y = b[i] & 0xff;
      if (x != y) {
        return x < y ? -1 : 1;
      }
    }
    return 0;
  }
}
